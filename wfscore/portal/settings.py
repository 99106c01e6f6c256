"""Django's settings, built from a site folder (``wfscore portal init`` makes one).

The folder is named by the environment variable ``WFSCORE_PORTAL_SITE``; it holds
``site.json`` (the settings an office may change: hosts, language, HTTPS, upload size,
session length, the database), ``secret_key`` (readable only by its owner), the SQLite
database ``portal.sqlite3`` (WAL mode) unless ``database`` names a PostgreSQL one
(:mod:`wfscore.portal.database`), and ``uploads/``. ``DEBUG`` is never on.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ENV = "WFSCORE_PORTAL_SITE"
if not os.environ.get(ENV):
    raise ImproperlyConfigured(f"{ENV} is not set (expected the site folder made by wfscore portal init)")
SITE_DIR = Path(os.environ[ENV]).resolve()
SITE = json.loads((SITE_DIR / "site.json").read_text(encoding="utf-8"))
SECRET_KEY = (SITE_DIR / "secret_key").read_text(encoding="utf-8").strip()
UPLOAD_DIR = SITE_DIR / "uploads"
YEAR_DIR = SITE_DIR / "year"
MAX_UPLOAD_BYTES = int(SITE.get("max_upload_mb", 20)) * 1024 * 1024

DEBUG = False
ALLOWED_HOSTS = list(SITE.get("allowed_hosts", ["127.0.0.1", "localhost"]))
HTTPS = bool(SITE.get("https", False))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "wfscore.portal.apps.PortalConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wfscore.portal.security.ContentSecurityPolicy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wfscore.portal.security.PasswordChangeFirst",
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "wfscore.portal.urls"
WSGI_APPLICATION = "wfscore.portal.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ]
        },
    }
]
DATABASE = str(SITE.get("database", "") or "sqlite")
if DATABASE == "sqlite":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SITE_DIR / "portal.sqlite3",
            # WAL: readers never wait for the writer; IMMEDIATE: a saving request takes the write
            # lock when it starts, so that two savers queue instead of failing half-way
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # each server thread keeps its connection (opening one, with its pragmas and the schema
            # read again, cost a page a fifth of its time); renewed every ten minutes
            "CONN_MAX_AGE": 600,
        }
    }
else:
    # PostgreSQL: site.json's "database" is postgresql://user@host:port/name; its password is
    # in the file db_password (readable only by its owner), or in the address itself
    from wfscore.portal.database import django_database

    DATABASES = {"default": django_database(DATABASE, SITE_DIR, int(SITE.get("conn_max_age", 60)))}
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "wfscore.portal.security.AccountBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# login throttling per account, never per address: every department may reach the
# server through one government-network address
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = int(SITE.get("login_failures", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(SITE.get("lockout_minutes", 15)))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked.html"
AXES_VERBOSE = False

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

LANGUAGE_CODE = SITE.get("language", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).parent / "locale"]
USE_I18N = True
TIME_ZONE = SITE.get("time_zone", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": UPLOAD_DIR}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the package's own static files, without collectstatic
WHITENOISE_AUTOREFRESH = False

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

# sessions and cookies
SESSION_COOKIE_AGE = int(SITE.get("session_hours", 8)) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SITE.get("behind_https_proxy"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = list(SITE.get("csrf_trusted_origins", []))

# left on purpose (README, "Portal"): axes.W006 asks that sign-ins be throttled per address
# too, which would let one department's typos lock out every department behind the same
# government-network address; security.W021 (HSTS preload) is for public sites, not an
# office's intranet server. Over plain HTTP ("https": false, the default for 127.0.0.1)
# security.W004, W008, W012 and W016 remain: they go once "https" is true.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
