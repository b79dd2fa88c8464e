"""Settings for gongkai, read from the environment.

Nothing secret lives in the repository: ``SECRET_KEY`` comes from the environment
or is generated once into the local data folder (``GONGKAI_DATA_DIR``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [p.strip() for p in os.environ.get(name, default).split(",") if p.strip()]


DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", REPO_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Written once with owner-only permissions; never committed (var/ is ignored).
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "gongkai.core",
    "gongkai.audit",
    "gongkai.accounts",
    "gongkai.catalogue",
    "gongkai.workdays",
    "gongkai.applications",
    "gongkai.search",
    "gongkai.reports",
    "gongkai.obligations",
    "gongkai.portal",
    "gongkai.console",
]

MIDDLEWARE = [
    "gongkai.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for text responses (Django pads against BREACH); ETag/Last-Modified and
    # 304 answers to conditional requests.
    "django.middleware.gzip.GZipMiddleware",
    # brotli instead, for clients that take it and have no session (the portal)
    "gongkai.core.compression.BrotliMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.core.middleware.ClientAddressMiddleware",
    # Axes must be last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.core.context_processors.site",
                "gongkai.console.context_processors.console",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "gongkai.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at
    # the start of a transaction so two writers queue instead of deadlocking on
    # a lock upgrade; the busy timeout makes them wait rather than fail.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A search for a common phrase reads a GIN bitmap of hundreds of thousands of
    # rows; with PostgreSQL's default 4 MB it turns lossy and every row on a
    # lossy page is checked again (a million items: 7.5 s -> 3.3 s with 32 MB).
    work_mem = os.environ.get("DB_WORK_MEM", "32MB").strip()
    if work_mem:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c work_mem={work_mem}"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication and session security -----------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "gongkai.accounts.passwords.CharacterClassValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:inbox"
LOGOUT_REDIRECT_URL = "console:login"

AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("GONGKAI_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_CALLABLE = "gongkai.console.views.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
AXES_CLIENT_IP_CALLABLE = "gongkai.core.middleware.client_ip"

# Sessions end after inactivity: every request renews the cookie's age.
SESSION_COOKIE_AGE = int(os.environ.get("GONGKAI_SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "gongkai.core.views.csrf_failure"

HTTPS = env_bool("GONGKAI_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# Behind nginx (which sets X-Forwarded-For to the client's address, replacing any
# value the client sent), the client address for rate limits and the audit trail
# is the header's first hop; never turn this on without such a proxy in front.
GONGKAI_TRUST_X_FORWARDED_FOR = env_bool("GONGKAI_TRUST_X_FORWARDED_FOR")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No page loads anything from another host: every directive is 'self' or none.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- language and time ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------
STATIC_URL = "/static/"
# nginx serves /static/ from here in the production profile (docs/deploy.md); it
# may live outside the private data folder so that nginx's user can read it.
STATIC_ROOT = Path(os.environ.get("GONGKAI_STATIC_DIR", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files: a folder shared by every web and worker process (NFS or the
# like when there are several machines), or an S3-compatible bucket.
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_DIR", DATA_DIR / "media"))
MEDIA_URL = "/media/"
GONGKAI_STORAGE = os.environ.get("GONGKAI_STORAGE", "filesystem").strip().lower()
if GONGKAI_STORAGE == "s3":
    # django-storages; the keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
    # in the environment (never from settings). Files stay private (no ACL, signed
    # URLs) and a name is never overwritten: the code relies on save() picking a
    # free name, as FileSystemStorage does.
    _default_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("GONGKAI_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("GONGKAI_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("GONGKAI_S3_REGION") or None,
            "location": os.environ.get("GONGKAI_S3_PREFIX", ""),
            "addressing_style": os.environ.get("GONGKAI_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif GONGKAI_STORAGE == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(
        f"GONGKAI_STORAGE must be filesystem or s3, not {GONGKAI_STORAGE!r}"
    )
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- the site's public identity (footer of every portal page) --------------
GONGKAI_SITE = {
    "name": os.environ.get("GONGKAI_SITE_NAME", ""),
    "site_id_code": os.environ.get("GONGKAI_SITE_ID_CODE", ""),  # 网站标识码
    "icp_number": os.environ.get("GONGKAI_ICP_NUMBER", ""),  # ICP备案号
    "psb_number": os.environ.get("GONGKAI_PSB_NUMBER", ""),  # 公安机关备案号
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "gongkai.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **(
                {"formatter": "json"}
                if env_bool("GONGKAI_JSON_LOGS", not DEBUG)
                else {}
            ),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
GONGKAI_METRICS_TOKEN = os.environ.get("GONGKAI_METRICS_TOKEN", "")
# Public pages are cached until a public change commits (gongkai.core.pagecache),
# and re-rendered after this long; 0 turns the cache off. A page that is due but
# whose generation is current is served for the grace period more while one
# thread per process re-renders it.
GONGKAI_PAGE_CACHE_SECONDS = int(os.environ.get("GONGKAI_PAGE_CACHE_SECONDS", "600"))
GONGKAI_PAGE_CACHE_GRACE_SECONDS = int(
    os.environ.get("GONGKAI_PAGE_CACHE_GRACE_SECONDS", "3600")
)

# Helper processes that tokenise the next batch while a large indexing run (an
# import, a rebuild) writes the current one; unset: 1 on a machine with more than
# one core, else 0 (gongkai.search.tokenising).
GONGKAI_INDEX_PROCESSES = (
    int(os.environ["GONGKAI_INDEX_PROCESSES"])
    if os.environ.get("GONGKAI_INDEX_PROCESSES", "").strip()
    else None
)

# Search results are counted exactly, and can be paged through, up to this many;
# beyond it the total is a lower bound (gongkai.search.selectors).
GONGKAI_SEARCH_COUNT_LIMIT = max(
    1, int(os.environ.get("GONGKAI_SEARCH_COUNT_LIMIT", "10000"))
)

# Lockout is per account (username), so rotating addresses does not get an attacker
# more guesses at one account; per-address lockout would lock a whole school behind
# one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Abuse control for online applications (no third-party CAPTCHA): counted in the
# database, so the limits hold across processes.
GONGKAI_APPLY_LIMIT_PER_IP_PER_HOUR = int(
    os.environ.get("GONGKAI_APPLY_LIMIT_PER_IP_PER_HOUR", "10")
)
GONGKAI_APPLY_LIMIT_PER_PHONE_PER_DAY = int(
    os.environ.get("GONGKAI_APPLY_LIMIT_PER_PHONE_PER_DAY", "20")
)

# Mail (reminders). SMTP from the environment; the demo prints mail to the console.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "GONGKAI_MAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            k: v
            for k, v in {
                "host": os.environ.get("EMAIL_HOST"),
                "port": int(os.environ["EMAIL_PORT"])
                if os.environ.get("EMAIL_PORT")
                else None,
                "username": os.environ.get("EMAIL_HOST_USER"),
                "password": os.environ.get("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS") or None,
            }.items()
            if v is not None
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongkai@localhost")

# Background work goes through django.tasks. The embedded default runs a task at
# once in the calling process; the production profile (docs/deploy.md) sets
# GONGKAI_TASKS_BACKEND=rq: tasks go to a Redis queue and an RQ worker runs them
# (`gongkai rqworker --job-class django_tasks_rq.Job --with-scheduler QUEUE`).
GONGKAI_TASKS_BACKEND = os.environ.get("GONGKAI_TASKS_BACKEND", "immediate").lower()
GONGKAI_REDIS_URL = os.environ.get("GONGKAI_REDIS_URL", "redis://127.0.0.1:6379/0")
GONGKAI_TASK_QUEUE = os.environ.get("GONGKAI_TASK_QUEUE", "gongkai")
if GONGKAI_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {GONGKAI_TASK_QUEUE: {"URL": GONGKAI_REDIS_URL, "DEFAULT_TIMEOUT": 900}}
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": [GONGKAI_TASK_QUEUE],
        }
    }
elif GONGKAI_TASKS_BACKEND == "immediate":
    TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": [GONGKAI_TASK_QUEUE],
        }
    }
else:
    raise ImproperlyConfigured(
        f"GONGKAI_TASKS_BACKEND must be immediate or rq, not {GONGKAI_TASKS_BACKEND!r}"
    )
# Enqueue the outbox task when a publication commits (and, on a backend that can
# defer, for the moment a scheduled publication falls due), so channels are served
# by the worker at once instead of at the scheduler's next round. Off by default
# with the immediate backend: there the "queue" is the publishing request itself,
# which would then wait on every channel's network round trip (and the tests rely
# on a publication leaving its deliveries pending for the outbox).
GONGKAI_DELIVER_ON_COMMIT = env_bool(
    "GONGKAI_DELIVER_ON_COMMIT", GONGKAI_TASKS_BACKEND != "immediate"
)

# Cache: per process by default; a multi-process deployment shares one in Redis
# (the WeChat access token, for instance, is then fetched once for all workers).
if cache_url := os.environ.get("GONGKAI_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": cache_url,
            "KEY_PREFIX": os.environ.get("GONGKAI_CACHE_PREFIX", "gongkai"),
        }
    }

# Proactive disclosure.
# Old site paths (e.g. "zwgk/") that redirect to imported items' new pages.
GONGKAI_LEGACY_PREFIXES = env_list("GONGKAI_LEGACY_PREFIXES")
GONGKAI_PUBLIC_URL = os.environ.get("GONGKAI_PUBLIC_URL", "http://127.0.0.1:8000")
GONGKAI_INDEX_NUMBER_FORMAT = os.environ.get(
    "GONGKAI_INDEX_NUMBER_FORMAT", "{org_code}/{year}-{serial:05d}"
)
GONGKAI_SCAN_WORDS = [
    w for w in os.environ.get("GONGKAI_SCAN_WORDS", "").split(",") if w
]
GONGKAI_SCAN_ALLOWED_EMAIL_DOMAINS = env_list(
    "GONGKAI_SCAN_ALLOWED_EMAIL_DOMAINS", "gov.cn"
)
# Webhook signing secrets, by the name a channel's config refers to
# ("secret_env"): GONGKAI_WEBHOOK_SECRET_<NAME> in the environment.
GONGKAI_WEBHOOK_SECRETS = {
    key.removeprefix("GONGKAI_WEBHOOK_SECRET_"): value
    for key, value in os.environ.items()
    if key.startswith("GONGKAI_WEBHOOK_SECRET_")
}

# --- issue #8: audit retention and archiving; database faults ------------------
# Audit records are kept at least 180 days (等级保护 2.0). `gongkai audit archive` (or
# the task gongkai.audit.tasks.archive_audit_events) moves audit events older than
# GONGKAI_AUDIT_ARCHIVE_AFTER_DAYS into checksummed JSONL files with a manifest in
# GONGKAI_AUDIT_ARCHIVE_DIR, then deletes them from the database; the chain keeps
# verifying from the archived tail. A value below 180 is refused: that floor is a
# constant in gongkai.audit.archive, not a setting.
GONGKAI_AUDIT_ARCHIVE_AFTER_DAYS = int(
    os.environ.get("GONGKAI_AUDIT_ARCHIVE_AFTER_DAYS", "365")
)
GONGKAI_AUDIT_ARCHIVE_DIR = Path(
    os.environ.get("GONGKAI_AUDIT_ARCHIVE_DIR", DATA_DIR / "audit-archive")
)
# A database that cannot be reached answers 503 with Retry-After (a page in Chinese,
# JSON under /api/), not 500; a persistent connection (DB_CONN_MAX_AGE > 0) is checked
# before reuse, so a connection cut by a database restart is replaced at the next
# request instead of failing it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("gongkai.core.metrics.RequestMetricsMiddleware") + 1,
    "gongkai.core.middleware.DatabaseUnavailableMiddleware",
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Uploads on the file system are written to a temporary file and linked into place:
# a write that fails (disk full) leaves no half-written file behind.
if STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    STORAGES["default"] = {"BACKEND": "gongkai.core.storage.AtomicFileSystemStorage"}
