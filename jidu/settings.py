"""Settings come from environment variables, with defaults that are safe for one machine.

Every variable is documented in README.md ("Configuration").
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("JIDU_DATA_DIR", BASE_DIR / "var"))

DEBUG = env_bool("JIDU_DEBUG", False)
SECRET_KEY = os.environ.get("JIDU_SECRET_KEY", "")
if not SECRET_KEY:
    # A per-installation key kept beside the database, created on first start.
    from jidu.core.keystore import local_secret

    SECRET_KEY = local_secret(DATA_DIR, "secret.key")

ALLOWED_HOSTS = env_list("JIDU_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("JIDU_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs page's assets locally (no CDN)
    "jidu.core",
    "jidu.org",
    "jidu.worktime",
    "jidu.orders",
    "jidu.intake",
    "jidu.screening",
    "jidu.grading",
    "jidu.jurisdiction",
    "jidu.jobs",
    "jidu.notifications",
    "jidu.supervision",
    "jidu.documents",
    "jidu.directives",
    "jidu.coordination",
    "jidu.measures",
    "jidu.dashboard",
    "jidu.warnings",
    "jidu.reports",
    "jidu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jidu.urls"
WSGI_APPLICATION = "jidu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jidu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jidu.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jidu.sqlite3'}"),
        conn_max_age=env_int("JIDU_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # A 64 MiB page cache keeps large imports fast; no mmap, which would count the file's
        # pages in the process's resident memory.
        {"init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
                          f"PRAGMA cache_size=-{env_int('JIDU_SQLITE_CACHE_KB', 65536)};"),
         "timeout": 30}
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("JIDU_PG_JIT", False):
    # The measures' grouped counts carry subqueries whose cost estimates make PostgreSQL JIT-compile
    # them: ~2 s of compilation for statements that run in a fraction of that. Off for every
    # connection (JIDU_PG_JIT=1 turns it back on); `jidu.measures.services.no_jit` also guards them.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = (_pg_options.get("options", "") + " -c jit=off").strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("JIDU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "jidu" / "static"]
# ECharts from `make setup` (npm ci into node_modules/, not committed); absent = dashboard shows tables only.
if (BASE_DIR / "node_modules" / "echarts" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"))
MEDIA_ROOT = Path(os.environ.get("JIDU_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"  # never served publicly; downloads go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("JIDU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("JIDU_SESSION_SECONDS", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("JIDU_MAX_REQUEST_BYTES", 50 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Background jobs: the database queue is the embedded default (`python -m jidu db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("JIDU_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Production alternative: JIDU_TASK_BACKEND=django_tasks_rq.RQBackend with Redis at JIDU_REDIS_URL
# (workers: `python -m jidu rqworker default`). See docs/JOBS.md.
RQ_QUEUES = {"default": {"URL": os.environ.get("JIDU_REDIS_URL", "redis://127.0.0.1:6379/0"),
                         "DEFAULT_TIMEOUT": env_int("JIDU_RQ_TIMEOUT", 3600)}}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS.append("django_rq")

# Notifications: links in e-mails and webhooks are made absolute with this; e-mail goes out over SMTP.
JIDU_BASE_URL = os.environ.get("JIDU_BASE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = os.environ.get("JIDU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("JIDU_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("JIDU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JIDU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("JIDU_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("JIDU_EMAIL_SSL", False)
EMAIL_TIMEOUT = env_int("JIDU_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("JIDU_EMAIL_FROM", "jidu@localhost")

# Personal data (caller name, phone, ID number) is encrypted at rest with these keys (AES-256-GCM;
# each key in Fernet's format, from which the AES key is derived — see jidu/core/crypto.py).
# JIDU_FIELD_KEYS: comma-separated, newest first (older keys still decrypt: key rotation).
# Without it a key file is created in JIDU_DATA_DIR on first start (fine for one machine;
# production sets the variable from its secret store and backs it up).
JIDU_FIELD_KEYS = env_list("JIDU_FIELD_KEYS", "")

# Intake limits.
JIDU_API_BATCH_MAX = env_int("JIDU_API_BATCH_MAX", 1000)
JIDU_MAX_CONTENT_CHARS = env_int("JIDU_MAX_CONTENT_CHARS", 100_000)
JIDU_IMPORT_CHUNK = env_int("JIDU_IMPORT_CHUNK", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIDU_LOG_LEVEL", "WARNING")},
}
