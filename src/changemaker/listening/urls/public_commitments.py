from django.urls import path

from changemaker.listening.views import public_commitments

urlpatterns = [
    path("commitments/", public_commitments.commitments, name="commitments"),
    path("commitments/<int:pk>/", public_commitments.commitment, name="commitment"),
]
