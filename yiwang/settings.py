"""The one settings module. Everything configurable is an environment variable (see README)."""

import ipaddress
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

from yiwang.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("YIWANG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("YIWANG_TESTING", False)

# The demo secret is only good for a DEBUG demo on this machine; production must bring its own.
DEMO_SECRET_KEY = "yiwang-demo-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY") or (DEMO_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off. "
        "For a local demo run `make demo`, which sets DEBUG=1."
    )
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured("The demo SECRET_KEY must not be used with DEBUG off.")
if not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY is too short for production: use at least 32 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}
if DEBUG and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "DEBUG is on while ALLOWED_HOSTS admits other hosts: a debug server must not face a network. "
        "Turn DEBUG off for production."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# HTTPS (README "Headers and input limits"): YIWANG_HTTPS=1 redirects plain HTTP to HTTPS, sends HSTS for
# YIWANG_HSTS_SECONDS (a year by default; YIWANG_HSTS_PRELOAD=1 asks browsers to preload it) and keeps the
# session and CSRF cookies to HTTPS. SECURE_COOKIES=1 alone only marks the cookies secure.
HTTPS = env_bool("YIWANG_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("YIWANG_HSTS_SECONDS", 31536000, minimum=0) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("YIWANG_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("YIWANG_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = HTTPS or env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Preloading HSTS is a lasting promise for the whole domain: the operator's decision, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD or not HTTPS else ["security.W021"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks_db",
    "yiwang.core",
    "yiwang.areas",
    "yiwang.accounts",
    "yiwang.audit",
    "yiwang.cases",
    "yiwang.grids",
    "yiwang.online",
    "yiwang.stats",
    "yiwang.warnings",
    "yiwang.finance",
    "yiwang.triage",
    "yiwang.maritime",
    "yiwang.notifications",
    "yiwang.cobuild",
    "yiwang.privacy",
]
try:  # Django 5.2 on Python 3.11 brings the tasks API from the django-tasks backport.
    import django.tasks  # noqa: F401
except ImportError:
    INSTALLED_APPS.append("django_tasks")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yiwang.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "yiwang.middleware.BodySizeMiddleware",
    "yiwang.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yiwang.core.db.ReadOwnWritesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yiwang.accounts.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yiwang.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "yiwang.triage.middleware.IntakeLanguagesMiddleware",
]

if DEBUG or TESTING:
    # runserver and the test client serve static files themselves; WhiteNoise serves collected ones.
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "yiwang.urls"
WSGI_APPLICATION = "yiwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yiwang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.accounts.context.scope",
                "yiwang.notifications.context_processors.bell",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'yiwang.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("YIWANG_TEST_SQLITE_NAME", "") or None}
# A read replica (README "Production beyond one machine"): DATABASE_REPLICA_URL (or …_FILE) names a PostgreSQL
# hot standby of DATABASE_URL. Dashboards, statistics, exports and reports read from it (yiwang.core.db) unless
# it is unreachable or more than YIWANG_REPLICA_MAX_LAG_SECONDS behind (measured every
# YIWANG_REPLICA_CHECK_SECONDS), or the user wrote within YIWANG_READ_OWN_WRITES_SECONDS. Unset: every read
# goes to DATABASE_URL.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
REPLICA_MAX_LAG_SECONDS = env_int("YIWANG_REPLICA_MAX_LAG_SECONDS", 10, minimum=0, maximum=86400)
REPLICA_CHECK_SECONDS = env_int("YIWANG_REPLICA_CHECK_SECONDS", 5, minimum=1, maximum=3600)
READ_OWN_WRITES_SECONDS = env_int("YIWANG_READ_OWN_WRITES_SECONDS", 30, minimum=0, maximum=86400)
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
                                     conn_health_checks=True)
    if "postgresql" not in DATABASES["default"]["ENGINE"] or "postgresql" not in _replica["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL is a PostgreSQL standby of a PostgreSQL DATABASE_URL: "
                                   "both must be postgres:// URLs.")
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)  # a dead replica must not hang a page
    if TESTING:  # a test run reads its test database, never a live standby (yiwang.core.db ignores a mirror)
        _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["yiwang.core.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "yiwang.accounts.backends.ScopedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "yiwang.accounts.passwords.ProjectPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
DEMO_PASSWORD = "yiwang-demo"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Content-Security-Policy (django-csp) on every response: scripts only from this site's own files (no inline
# script, no event-handler attribute: pages load their JavaScript from each app's static/), nothing framed.
# Inline style attributes are still allowed. The API's ReDoc page adds a blob: worker (yiwang/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sessions end after SESSION_IDLE_MINUTES without a request: a request renews the session at most once
# a minute (yiwang.middleware.SessionRefreshMiddleware), not with a write per page view.
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Failed logins: after LOGIN_FAILURE_LIMIT failures for one user name from one address, that pair is
# locked out for LOGIN_COOLOFF_MINUTES (django-axes, stored in the database so every worker agrees).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Password spraying (one try each for many names from one address): every failure from an address, whatever
# the name, counts against LOGIN_ADDRESS_FAILURE_LIMIT within the cool-off; past it the address is refused.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
# Every address-based control reads the client's address from yiwang.core.network.get_client_ip.
AXES_CLIENT_IP_CALLABLE = "yiwang.core.network.get_client_ip"
# The token endpoint's lock-out answers JSON 429; the pages', the locked_out template.
AXES_LOCKOUT_CALLABLE = "yiwang.accounts.signin.lockout_response"

# The reverse proxies (addresses or networks, e.g. 10.0.0.5,10.0.1.0/24) whose X-Forwarded-For hops are
# believed (yiwang.core.network). Empty: REMOTE_ADDR is the client, whatever the header says.
YIWANG_TRUSTED_PROXIES = env_list("YIWANG_TRUSTED_PROXIES", [])
try:
    TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(item, strict=False) for item in YIWANG_TRUSTED_PROXIES]
except ValueError as exc:
    raise ImproperlyConfigured(f"YIWANG_TRUSTED_PROXIES: {exc}; list addresses or networks, comma-separated.") from exc

# Two-factor sign-in (yiwang.accounts.twofactor): `required` makes the roles that read personal data in
# full or change master data (and the admin site) sign in with a one-time code; `optional` lets everyone
# enrol but asks only those who did. Tests default to optional (force_login carries no device).
YIWANG_TWO_FACTOR = env_str("YIWANG_TWO_FACTOR", "optional" if TESTING else "required")
if YIWANG_TWO_FACTOR not in ("required", "optional"):
    raise ImproperlyConfigured("YIWANG_TWO_FACTOR must be required or optional.")
OTP_TOTP_ISSUER = "yiwang"
# API tokens (accounts.ApiToken) stop working this many days after they were issued.
YIWANG_TOKEN_DAYS = env_int("YIWANG_TOKEN_DAYS", 90, minimum=1, maximum=3650)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "yiwang" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The project's own stylesheet lives in yiwang/static (the project package is not an installed app).
STATICFILES_DIRS = [BASE_DIR / "yiwang" / "static"]
# Private files (every upload, signed PDF and export: yiwang.core.storage) go through STORAGES["private"]:
# the file system under MEDIA_ROOT, or an S3-compatible bucket once YIWANG_S3_BUCKET is set. The bucket
# stays private (no public ACL, no public URL): the app streams each file after its own access check.
S3_BUCKET = env_str("YIWANG_S3_BUCKET")
if S3_BUCKET:
    _s3_endpoint = env_str("YIWANG_S3_ENDPOINT")  # e.g. http://127.0.0.1:8333; empty: AWS itself
    _s3_access_key, _s3_secret_key = env_str("YIWANG_S3_ACCESS_KEY"), env_str("YIWANG_S3_SECRET_KEY")
    if not (_s3_access_key and _s3_secret_key):
        raise ImproperlyConfigured("YIWANG_S3_BUCKET is set: set YIWANG_S3_ACCESS_KEY and YIWANG_S3_SECRET_KEY "
                                   "(or their *_FILE) too.")
    PRIVATE_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": _s3_endpoint or None,
        "access_key": _s3_access_key,
        "secret_key": _s3_secret_key,
        "region_name": env_str("YIWANG_S3_REGION", "us-east-1"),
        "location": env_str("YIWANG_S3_PREFIX").strip("/"),
        # Most S3-compatible servers (SeaweedFS, MinIO, Ceph) answer on one host name: bucket in the path.
        "addressing_style": env_str("YIWANG_S3_ADDRESSING_STYLE", "path" if _s3_endpoint else "auto"),
        "default_acl": None,  # the bucket's own, private
        "file_overwrite": False,  # stored names are random; never replace another object
        # Nothing hands out a storage URL; should one be made, it is signed and short-lived.
        "querystring_auth": True,
        "querystring_expire": env_int("YIWANG_S3_URL_SECONDS", 300, minimum=1, maximum=7 * 24 * 3600),
    }}
    if PRIVATE_STORAGE["OPTIONS"]["addressing_style"] not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured("YIWANG_S3_ADDRESSING_STYLE must be auto, path or virtual.")
else:
    PRIVATE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # under MEDIA_ROOT
STORAGES = {
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The county-level division this deployment serves (its NBS code): grid problems that name no known
# grid wait for triage there, and the boards of users with no area limit open there.
YIWANG_DISTRICT = env_str("YIWANG_DISTRICT", "330903")
if not re.fullmatch(r"[0-9]{6}", YIWANG_DISTRICT):
    raise ImproperlyConfigured("YIWANG_DISTRICT must be a six-digit county-level division code, e.g. 330903.")
# Where a red early warning goes first: the district at once (default), or the town, from where an
# unacknowledged one escalates to the district (warnings.routing).
YIWANG_WARNING_RED_TIER = env_str("YIWANG_WARNING_RED_TIER", "district")
if YIWANG_WARNING_RED_TIER not in ("town", "district"):
    raise ImproperlyConfigured("YIWANG_WARNING_RED_TIER must be town or district.")
# Grid teams visit their grids on this weekday every week (0 = Monday … 4 = Friday).
GRID_VISIT_WEEKDAY = env_int("GRID_VISIT_WEEKDAY", 4, minimum=0, maximum=6)
# A co-building demand nobody has claimed this many days after it was posted goes to its street.
COBUILD_ESCALATE_DAYS = env_int("YIWANG_COBUILD_ESCALATE_DAYS", 7, minimum=1, maximum=90)

# Uploaded files (evidence, photos) live outside the web root and are served only through views
# that check the reader's access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "private")))
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10, minimum=1, maximum=200)
# A bank's batch file (finance): 100,000 rows of CSV are about 20 MB.
FINANCE_BATCH_MAX_MB = env_int("FINANCE_BATCH_MAX_MB", 60, minimum=1, maximum=500)
# The annual rate (%) above which a bank's row is accepted but flagged, unless the bank has its own cap.
FINANCE_RATE_CAP = env_int("FINANCE_RATE_CAP", 24, minimum=1, maximum=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Bodies on /api/ and /open311/ (yiwang.middleware.BodySizeMiddleware): a JSON body up to API_MAX_BODY_MB
# (a bank's larger batch goes as a file), a multipart upload up to the largest file an endpoint takes + 1 MB.
API_MAX_BODY_BYTES = env_int("YIWANG_API_MAX_BODY_MB", 5, minimum=1, maximum=100) * 1024 * 1024
UPLOAD_MAX_BODY_BYTES = (max(MAX_UPLOAD_MB, FINANCE_BATCH_MAX_MB) + 1) * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "yiwang.accounts.tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "yiwang.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "yiwang.core.openapi.AutoSchema",  # + the error answers every endpoint gives
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [  # JSON with a depth limit and no NUL (yiwang.core.parsers)
        "yiwang.core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "yiwang.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "yiwang API",
    "DESCRIPTION": "一网 REST API. Authenticate with `POST /api/v1/token`, then send `Authorization: Token …`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # `check --deploy` stays about deployment: the schema's naming warnings are not a deployment's concern
    # (yiwang/core/tests/test_schemathesis.py holds the schema to the API's behaviour).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # The schema and its docs only for a signed-in user (a token or a session), unless DEBUG.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny" if DEBUG else "rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PartyKindEnum": "yiwang.cases.models.PartyKind",
        "ReferralKindEnum": "yiwang.cases.models.ReferralKind",
    },
}

# Redis (YIWANG_REDIS_URL, e.g. redis://127.0.0.1:6379/0): the shared cache of every app server (rate
# limits, throttles) and, with YIWANG_TASKS=rq, the queue of the RQ workers. Unset: each process its own
# in-memory cache, tasks in the database.
REDIS_URL = env_str("YIWANG_REDIS_URL")
if REDIS_URL and not re.match(r"rediss?://", REDIS_URL):
    raise ImproperlyConfigured("YIWANG_REDIS_URL must be a redis:// or rediss:// URL.")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": env_str("YIWANG_CACHE_PREFIX", "yiwang")}}
# Background work goes through the tasks API; the default backend is durable, in the database, and is
# run by `yiwang db_worker`. YIWANG_TASKS=rq runs it on Redis with RQ workers (`yiwang rqworker default`);
# either way jobs and notifications are rows in the database, and `yiwang sweep` (cron) enqueues again
# what a lost queue dropped (README "Production beyond one machine").
TASKS_MODE = env_str("YIWANG_TASKS", "database")
if TASKS_MODE not in ("database", "rq"):
    raise ImproperlyConfigured("YIWANG_TASKS must be database or rq.")
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A running job's row is touched this often; the sweep runs again a job untouched for five of these
# (its worker died: core.jobs.requeue_stale).
JOB_HEARTBEAT_SECONDS = env_int("YIWANG_JOB_HEARTBEAT_SECONDS", 30, minimum=1, maximum=3600)
if TASKS_MODE == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("YIWANG_TASKS=rq needs YIWANG_REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("YIWANG_RQ_TIMEOUT", 3600, minimum=60)}}
    TASKS["default"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
if TESTING:
    TASKS["default"] = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    try:
        import django.tasks  # noqa: F401, F811
    except ImportError:
        TASKS["default"] = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}

if TESTING:
    # Hashing the cast's passwords at full strength would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Online dispute resolution (yiwang.online). The centre's PAdES signing key and certificate (PEM paths;
# the passphrase also from YIWANG_SIGNING_KEY_PASSPHRASE_FILE). Unset: a demo pair under VAR_DIR/signing.
SIGNING_KEY_FILE = env_str("YIWANG_SIGNING_KEY_FILE")
SIGNING_CERT_FILE = env_str("YIWANG_SIGNING_CERT_FILE")
SIGNING_KEY_PASSPHRASE = env_str("YIWANG_SIGNING_KEY_PASSPHRASE")
SIGNING_CA_FILE = env_str("YIWANG_SIGNING_CA_FILE")  # the CA certificates verification trusts
if bool(SIGNING_KEY_FILE) != bool(SIGNING_CERT_FILE):
    raise ImproperlyConfigured("Set both YIWANG_SIGNING_KEY_FILE and YIWANG_SIGNING_CERT_FILE, or neither.")
# Personal data at rest (yiwang.core.crypto, README "Personal data at rest"): AES-256-GCM keys `id:base64` and
# HMAC-SHA256 keys for search, each a list (commas or lines; also from *_FILE), the first in use, the rest
# still read. Unset: a key derived from SECRET_KEY in DEBUG or tests; otherwise a system check refuses to start.
DATA_KEYS = env_str("YIWANG_DATA_KEYS")
DATA_HMAC_KEYS = env_str("YIWANG_DATA_HMAC_KEYS")
# SMS: the provider (file: VAR_DIR/sms.log, the default; aliyun; tencent; README "Notifications") or a
# dotted path to a class with send(phone, text).
SMS_BACKENDS = {
    "file": "yiwang.online.sms.FileBackend",
    "aliyun": "yiwang.notifications.adapters.aliyun.AliyunSmsBackend",
    "tencent": "yiwang.notifications.adapters.tencent.TencentSmsBackend",
}
SMS_BACKEND = env_str("YIWANG_SMS_BACKEND", "file")
SMS_BACKEND = SMS_BACKENDS.get(SMS_BACKEND, SMS_BACKEND)
if "." not in SMS_BACKEND:
    raise ImproperlyConfigured(f"YIWANG_SMS_BACKEND={SMS_BACKEND!r}: use {', '.join(SMS_BACKENDS)} or a dotted path.")
# The notification outbox (yiwang.core.outbox): a failed send is retried after RETRY_SECONDS, then twice
# that, and so on, and marked failed after MAX_ATTEMPTS attempts. Cron `yiwang deliver_outbox` (README).
OUTBOX_MAX_ATTEMPTS = env_int("YIWANG_OUTBOX_MAX_ATTEMPTS", 6, minimum=1, maximum=50)
OUTBOX_RETRY_SECONDS = env_int("YIWANG_OUTBOX_RETRY_SECONDS", 60, minimum=1, maximum=86400)
# How many due rows one worker claims at a time (one UPDATE … RETURNING).
OUTBOX_CLAIM_BATCH = env_int("YIWANG_OUTBOX_CLAIM_BATCH", 50, minimum=1, maximum=1000)
SMS_CODES_PER_HOUR = env_int("YIWANG_SMS_CODES_PER_HOUR", 5, minimum=1, maximum=100)
ONLINE_FILINGS_PER_HOUR = env_int("YIWANG_ONLINE_FILINGS_PER_HOUR", 10, minimum=1)  # per address, 解纷码 page
# Triage: how often one address may ask the public type-suggestion endpoint of the online filing page.
TRIAGE_PUBLIC_RATE = env_str("YIWANG_TRIAGE_PUBLIC_RATE", "30/min")
# Notifications (yiwang.notifications, README "Notifications"): links in e-mail/浙政钉 are made absolute with
# SITE_URL; no non-urgent SMS in the quiet hours (start, end: local hours); reminders N working days ahead.
NOTIFICATIONS_SITE_URL = env_str("YIWANG_SITE_URL", "http://127.0.0.1:8000")
NOTIFICATIONS_QUIET_HOURS = (env_int("YIWANG_QUIET_FROM", 22, minimum=0, maximum=23), env_int("YIWANG_QUIET_UNTIL", 8, minimum=0, maximum=23))
NOTIFICATIONS_REMIND_WORKDAYS = env_int("YIWANG_REMIND_WORKDAYS", 1, minimum=0, maximum=30)
# The leaders' daily digest leaves at the first `yiwang send_digest` run after this local time of day.
NOTIFICATIONS_DIGEST_AT = (env_int("YIWANG_DIGEST_HOUR", 7, minimum=0, maximum=23),
                           env_int("YIWANG_DIGEST_MINUTE", 30, minimum=0, maximum=59))
NOTIFICATIONS_STATUS_LOOKUPS_PER_HOUR = env_int("YIWANG_STATUS_LOOKUPS_PER_HOUR", 10, minimum=1)  # per address, /status/
# 阿里云短信 (SMS_BACKEND=yiwang.notifications.adapters.aliyun.AliyunSmsBackend); secrets also from *_FILE.
ALIYUN_SMS_ENDPOINT = env_str("YIWANG_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
ALIYUN_SMS_ACCESS_KEY_ID = env_str("YIWANG_ALIYUN_SMS_ACCESS_KEY_ID")
ALIYUN_SMS_ACCESS_KEY_SECRET = env_str("YIWANG_ALIYUN_SMS_ACCESS_KEY_SECRET")
ALIYUN_SMS_SIGN_NAME = env_str("YIWANG_ALIYUN_SMS_SIGN_NAME")
ALIYUN_SMS_FALLBACK_TEMPLATE = env_str("YIWANG_ALIYUN_SMS_FALLBACK_TEMPLATE")  # a template "${content}" for free text
# 腾讯云短信 (SMS_BACKEND=tencent): API 3.0 SendSms, TC3-HMAC-SHA256; secrets also from *_FILE.
TENCENT_SMS_ENDPOINT = env_str("YIWANG_TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/")
TENCENT_SMS_REGION = env_str("YIWANG_TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_SECRET_ID = env_str("YIWANG_TENCENT_SMS_SECRET_ID")
TENCENT_SMS_SECRET_KEY = env_str("YIWANG_TENCENT_SMS_SECRET_KEY")
TENCENT_SMS_APP_ID = env_str("YIWANG_TENCENT_SMS_APP_ID")  # the SmsSdkAppId, e.g. 1400006666
TENCENT_SMS_SIGN_NAME = env_str("YIWANG_TENCENT_SMS_SIGN_NAME")
TENCENT_SMS_FALLBACK_TEMPLATE = env_str("YIWANG_TENCENT_SMS_FALLBACK_TEMPLATE")  # a template "{1}" for free text
# 浙政钉 work notices (the 政务钉钉 open platform; unset: the channel fails and the outbox says why).
ZZD_ENDPOINT = env_str("YIWANG_ZZD_ENDPOINT", "https://openplatform.dg-work.cn")
ZZD_APP_KEY = env_str("YIWANG_ZZD_APP_KEY")
ZZD_APP_SECRET = env_str("YIWANG_ZZD_APP_SECRET")
ZZD_ORGANISATION_ID = env_str("YIWANG_ZZD_ORGANISATION_ID")
ZZD_CLIENT_IP = env_str("YIWANG_ZZD_CLIENT_IP", "127.0.0.1")
ZZD_CLIENT_MAC = env_str("YIWANG_ZZD_CLIENT_MAC", "00:00:00:00:00:00")
# E-mail (the notifications' e-mail channel) through Django's mailers. YIWANG_EMAIL_BACKEND: smtp (the
# default once YIWANG_EMAIL_HOST is set), file (one file per message under VAR_DIR/mail, the default
# otherwise, like SMS), console, locmem, dummy, or a dotted path to a backend (README "Notifications").
EMAIL_BACKENDS = {name: f"django.core.mail.backends.{name}.EmailBackend"
                  for name in ("smtp", "file", "console", "locmem", "dummy")}
_email_host = env_str("YIWANG_EMAIL_HOST")
_email_backend = env_str("YIWANG_EMAIL_BACKEND", "smtp" if _email_host else "file")
_email_backend = EMAIL_BACKENDS.get(_email_backend, _email_backend)
if "." not in _email_backend:
    raise ImproperlyConfigured(f"YIWANG_EMAIL_BACKEND={_email_backend!r}: use {', '.join(EMAIL_BACKENDS)} or a "
                               "dotted path.")
_email_options: dict = {}
if _email_backend == EMAIL_BACKENDS["smtp"]:
    _email_ssl, _email_tls = env_bool("YIWANG_EMAIL_USE_SSL", False), env_bool("YIWANG_EMAIL_USE_TLS", False)
    if _email_ssl and _email_tls:
        raise ImproperlyConfigured("Set YIWANG_EMAIL_USE_SSL (port 465) or YIWANG_EMAIL_USE_TLS (STARTTLS), not both.")
    _email_options = {
        "host": _email_host or "localhost",
        "port": env_int("YIWANG_EMAIL_PORT", 465 if _email_ssl else 587 if _email_tls else 25, minimum=1,
                        maximum=65535),
        "username": env_str("YIWANG_EMAIL_USER"), "password": env_str("YIWANG_EMAIL_PASSWORD"),
        "use_ssl": _email_ssl, "use_tls": _email_tls,
        "timeout": env_int("YIWANG_EMAIL_TIMEOUT", 10, minimum=1, maximum=300),
    }
elif _email_backend == EMAIL_BACKENDS["file"]:
    _email_options = {"file_path": env_str("YIWANG_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
if django.VERSION < (6, 1):  # Django 5.2 LTS (Debian 12's Python) has no MAILERS: the single-backend settings
    EMAIL_BACKEND = _email_backend
    _legacy_names = {"host": "EMAIL_HOST", "port": "EMAIL_PORT", "username": "EMAIL_HOST_USER",
                     "password": "EMAIL_HOST_PASSWORD", "use_ssl": "EMAIL_USE_SSL", "use_tls": "EMAIL_USE_TLS",
                     "timeout": "EMAIL_TIMEOUT", "file_path": "EMAIL_FILE_PATH"}
    globals().update({_legacy_names[key]: value for key, value in _email_options.items()})
DEFAULT_FROM_EMAIL = env_str("YIWANG_EMAIL_FROM", "yiwang@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = env_str("YIWANG_EMAIL_SUBJECT_PREFIX", "")

# The audit log's daily anchors (the chain head, with its date and row id; README "Audit trail"): a directory
# the operator keeps, ideally on other storage than the database. `yiwang verify_audit` checks them too.
AUDIT_ANCHOR_DIR = Path(env_str("YIWANG_AUDIT_ANCHOR_DIR", str(VAR_DIR / "audit-anchors")))
# Archived cases are anonymised this long after they were archived (README "Retention and personal-data
# requests"): YIWANG_RETENTION_DAYS if set, else YIWANG_RETENTION_YEARS years of 365 days.
RETENTION_DAYS = env_int("YIWANG_RETENTION_DAYS", 365 * env_int("YIWANG_RETENTION_YEARS", 10, minimum=1,
                                                                maximum=100), minimum=1)
RETENTION_BATCH = env_int("YIWANG_RETENTION_BATCH", 200, minimum=1, maximum=10000)
