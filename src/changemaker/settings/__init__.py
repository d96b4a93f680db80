"""Settings, split by environment: base (shared), dev, test, production.

Everything that differs between installs comes from the environment:
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_* (see base.py).
"""
