"""One settings module, read from the environment (cookiecutter-django / HackSoft style).

Safe defaults serve the embedded demo (SQLite, console SMS, no Redis). Production is
``YIWANG_ENV=production``: it refuses to start without ``SECRET_KEY`` or with ``DEBUG`` on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from yiwang.core.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("YIWANG_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# dev | test | production. Under pytest the default is "test": pytest-django loads settings
# before the root conftest.py could set the variable.
YIWANG_ENV = os.environ.get("YIWANG_ENV") or ("test" if "pytest" in sys.modules else "dev")
PRODUCTION = YIWANG_ENV == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when YIWANG_ENV=production.")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY (32+ characters) is required in production.")
elif not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789"  # noqa: S105

# Keys for personal-data encryption (Fernet, comma-separated, newest first) and the
# blind index (HMAC). Dev derives them from SECRET_KEY; production must set them.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = os.environ.get("BLIND_INDEX_KEY", "")
if PRODUCTION and (not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY are required in production."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Behind a load balancer: take the client address from X-Forwarded-For (rate limits, audit).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Yiwang apps, in import order (an app may use the ones above it, never below).
    "yiwang.core",
    "yiwang.regions",
    "yiwang.audit",
    "yiwang.notify",
    "yiwang.accounts",
    "yiwang.catalog",
    "yiwang.certificates",
    "yiwang.halls",
    "yiwang.applications",
    "yiwang.delivery",
    "yiwang.consult",
    "yiwang.reviews",
    "yiwang.web",
    # Last, so that our templates and translations win over the admin's ("Log out" is
    # 退出登录 here, not the admin's 注销).
    "yiwang.web.admin_apps.YiwangAdminConfig",  # django.contrib.admin with the OTP admin site
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yiwang.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "yiwang.core.middleware.ApiGuardMiddleware",
]

ROOT_URLCONF = "yiwang.urls"
WSGI_APPLICATION = "yiwang.wsgi.application"

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
                "yiwang.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yiwang.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "Yiwang 一网"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"

# django-axes: lock a staff username+IP after repeated password failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yiwang.accounts.views.staff_locked_out"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Request size: the API and forms refuse bodies over this many bytes (uploads have their own limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024)))
API_MAX_BODY_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "yiwang.web.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Yiwang 一网 <noreply@yiwang.localhost>")

# SMS goes through a pluggable backend; the default writes to the console and the dev inbox.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "yiwang.notify.sms.ConsoleSmsBackend")
# Only for yiwang.notify.sms.HttpSmsBackend: the gateway's URL, bearer key, timeout, signature.
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_API_KEY = os.environ.get("SMS_HTTP_API_KEY", "")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "5"))
SMS_HTTP_SENDER = os.environ.get("SMS_HTTP_SENDER", "一网")

# Capability settings. Each app reads its own with the same default, so a test or a
# deployment may leave any of them out.
# The site's public address: signed certificates, QR codes and links in SMS carry it.
PUBLIC_URL = os.environ.get("PUBLIC_URL", "" if PRODUCTION else "https://yiwang.localhost")
if PRODUCTION and not PUBLIC_URL.startswith("https://"):
    raise ImproperlyConfigured("PUBLIC_URL (https://…) is required in production.")
APPLICATIONS_UPLOAD_MAX_BYTES = int(
    os.environ.get("APPLICATIONS_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))
)
# An API multipart request carries one upload plus its form fields and boundaries.
API_MAX_UPLOAD_BYTES = max(API_MAX_BODY_BYTES, APPLICATIONS_UPLOAD_MAX_BYTES + 64 * 1024)
HALLS_SLOT_DAYS_AHEAD = int(os.environ.get("HALLS_SLOT_DAYS_AHEAD", "10"))
HALLS_NO_SHOW_LIMIT = int(os.environ.get("HALLS_NO_SHOW_LIMIT", "3"))
HALLS_NO_SHOW_WINDOW_DAYS = int(os.environ.get("HALLS_NO_SHOW_WINDOW_DAYS", "90"))
HALLS_NO_SHOW_BLOCK_DAYS = int(os.environ.get("HALLS_NO_SHOW_BLOCK_DAYS", "30"))
# The fake carrier invents parcels for the demo and tests; production ships by hand (clerks type
# the tracking number) until a real carrier adapter is configured (system check delivery.E001).
DELIVERY_CARRIER = os.environ.get(
    "DELIVERY_CARRIER",
    "yiwang.delivery.carriers.ManualCarrier"
    if PRODUCTION
    else "yiwang.delivery.carriers.FakeCarrier",
)
DELIVERY_CALLBACK_SECRET = os.environ.get("DELIVERY_CALLBACK_SECRET", "")
CONSULT_ANSWER_DAYS = int(os.environ.get("CONSULT_ANSWER_DAYS", "5"))
REVIEWS_WINDOW_DAYS = int(os.environ.get("REVIEWS_WINDOW_DAYS", "15"))
REVIEWS_RECTIFY_DAYS = int(os.environ.get("REVIEWS_RECTIFY_DAYS", "5"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Login codes for citizens (phone one-time codes).
LOGIN_CODE_TTL_SECONDS = 300
LOGIN_CODE_MAX_ATTEMPTS = 5
LOGIN_CODE_RATE_PER_PHONE = (5, 3600)  # at most 5 codes per phone per hour
LOGIN_CODE_RATE_PER_IP = (20, 3600)
LOGIN_CODE_LOCKOUT_FAILURES = 10  # failed verifications per phone per hour before lockout
# The demo shows codes on screen; never in production.
SHOW_DEV_CODES = env_bool("SHOW_DEV_CODES", default=not PRODUCTION)

API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/60")  # requests / seconds per client
WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE", "180"))
READYZ_REQUIRE_WORKER = env_bool("READYZ_REQUIRE_WORKER", default=PRODUCTION)

LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO"), json=env_bool("LOG_JSON", PRODUCTION)
)

if YIWANG_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    AXES_ENABLED = True
