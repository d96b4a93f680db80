"""Local development and the demo council: SQLite under var/, e-mail as files in var/mail/."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, env_list

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
# northbrook.localhost: the demo's second council (evidence feeds between councils)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],northbrook.localhost")
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Each email sent is a file in var/mail/ (open it to follow a sign-up or an invitation link); the
# console stays quiet for the sign-ins `make run` prints.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
}
# CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR=1 lets staff in without their second factor (a quick look
# at the demo without an authenticator app). Never in production: it refuses to start with it.
CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR = env_bool("CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR")

# the demo's second council (northbrook.localhost) and the tests' fake feed servers are local
CHANGEMAKER_FEEDS_ALLOW_PRIVATE = True
