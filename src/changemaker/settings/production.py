"""Production: everything from the environment, secure by default.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL). Optional: EMAIL_*,
SECURE_HSTS_SECONDS (default one year), CHANGEMAKER_VAR (static and media files).
`manage.py check --deploy` passes with these settings (tested in core/tests/test_settings.py).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, MIDDLEWARE, PRIVATE_STORAGE, SECRET_KEY, env_bool

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host names, comma-separated.")

if env_bool("CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR"):
    raise ImproperlyConfigured(
        "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR is for development only: staff who see personal "
        "data must sign in with two factors in production. Remove it from the environment."
    )

DEBUG = False
CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR = False
# Static files served by the application itself, compressed and cache-busted.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
