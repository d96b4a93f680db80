from django.urls import path

from changemaker.insight.views import staff_data as v

urlpatterns = [
    path("agreements/", v.agreements, name="agreements"),
    path("agreements/new/", v.agreement_edit, name="agreement-new"),
    path("agreements/<int:pk>/", v.agreement_edit, name="agreement-edit"),
    path("purposes/new/", v.purpose_edit, name="purpose-new"),
    path("purposes/<int:pk>/", v.purpose_edit, name="purpose-edit"),
    path("datasets/", v.datasets, name="datasets"),
    path("datasets/new/", v.dataset_edit, name="dataset-new"),
    path("datasets/<int:pk>/", v.dataset_detail, name="dataset"),
    path("datasets/<int:pk>/change/", v.dataset_edit, name="dataset-edit"),
    path("datasets/<int:pk>/mapping/", v.dataset_mapping, name="dataset-mapping"),
    path("datasets/<int:pk>/upload/", v.dataset_upload, name="dataset-upload"),
    path("uploads/<int:pk>/", v.upload_detail, name="upload"),
    path("uploads/<int:pk>/publish/", v.upload_publish, name="upload-publish"),
    path("uploads/<int:pk>/discard/", v.upload_discard, name="upload-discard"),
    path("uploads/<int:pk>/rows-to-fix.csv", v.upload_quarantine, name="upload-quarantine"),
    path("gazetteer/", v.gazetteer, name="gazetteer"),
    path("runs/", v.runs, name="runs"),
    path("runs/<int:pk>/", v.run_detail, name="run"),
    path("processing/", v.processing, name="processing"),
]
