"""Django settings for the Azerbaijan–NATO Relations Corpus API.

Environment variables are read in config/env.py; this module only wires them in.
"""

from datetime import timedelta

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

from config import env
from config.csp import drf_code_style_hashes, drf_style_attribute_hashes

BASE_DIR = env.BASE_DIR
DEBUG = env.DEBUG
SECRET_KEY = env.SECRET_KEY
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env.ALLOWED_HOSTS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "corpus",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.RejectNulMiddleware",  # a NUL in an API path or query: 400, not PostgreSQL's DataError
    "api.middleware.CorpusCacheMiddleware",  # before everything a cache hit need not run (api/middleware.py)
    "config.csp.CSPMiddleware",  # django-csp's (header built once); after the cache: a cached response keeps its header
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # a locked-out admin login: api.authentication.locked_out_response
    "api.transactions.TransactionMiddleware",  # last: a write's view in one transaction, retried once (api/transactions.py)
]

ROOT_URLCONF = "config.urls"
ADMIN_PATH = env.ADMIN_PATH
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=env.CONN_MAX_AGE, conn_health_checks=env.CONN_HEALTH_CHECKS)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.DATABASE_PREPARE_THRESHOLD:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(env.DATABASE_PREPARE_THRESHOLD)
    )
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.CACHE_URL}
        if env.CACHE_URL.startswith("redis")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    )
}
if env.CACHE_URL.startswith("redis") and env.API_LOCAL_CACHE_ENTRIES:
    # A cached response's key holds the corpus version, so a copy of it can never be stale: each worker
    # keeps the ones it serves in memory too, in front of Redis (api/middleware.py).
    CACHES["local"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "api-local",
        "OPTIONS": {"MAX_ENTRIES": env.API_LOCAL_CACHE_ENTRIES},
    }
API_CACHE_SECONDS = env.API_CACHE_SECONDS
CORPUS_VERSION_LISTEN = env.CORPUS_VERSION_LISTEN  # corpus/services/version_watch.py
API_CACHE_MAX_AGE = 60  # what clients and proxies may reuse without asking (Cache-Control)
API_COUNT_CACHE_SECONDS = env.API_COUNT_CACHE_SECONDS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes refuses a locked-out client before any password is hashed (api/authentication.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env.LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]  # an address guessing many usernames is locked out too
AXES_RESET_ON_SUCCESS = True  # a curator who mistyped once starts afresh after signing in
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_ip"  # the throttles' address: NUM_PROXIES hops back
AXES_LOCKOUT_CALLABLE = "api.authentication.locked_out_response"  # problem+json under /api/
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.STATIC_ROOT
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, opted into now

# HTTPS, toggled by the environment for a deployment behind TLS (`manage.py check --deploy` is then clean).
SECURE_SSL_REDIRECT = env.SECURE_SSL_REDIRECT
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probed over plain HTTP inside the container
SECURE_HSTS_SECONDS = env.SECURE_HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.SECURE_HSTS_INCLUDE_SUBDOMAINS
SECURE_HSTS_PRELOAD = env.SECURE_HSTS_PRELOAD
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.SECURE_COOKIES
if env.SECURE_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + env.SECURE_PROXY_SSL_HEADER.upper().replace("-", "_"), "https")

# Everything from this origin; no inline script or style but the docs pages', which carry the request's nonce
# (api/templates/api/; those pages bypass the response cache so a nonce is never reused). Swagger UI and Redoc
# draw icons as data: images, and Redoc runs its search in a blob: worker. The browsable API's style attributes
# are allowed by their exact hashes, and so is its Pygments stylesheet (an inline <style> when Pygments is
# installed: config/csp.py). tests/browser/ opens these pages in headless Chromium and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE, *drf_code_style_hashes()],
        "style-src-attr": [UNSAFE_HASHES, *drf_style_attribute_hashes()],
        "img-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Public reads from any origin; writes go through the admin only.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",  # also the version `manage.py spectacular` documents
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",  # first: a request with no credentials is a 403
        "api.authentication.BasicAuthentication",
        "api.authentication.RefuseUnrecognisedAuthorization",  # any other Authorization header: 401, not anonymous
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Counters in the default cache: Redis, shared by every worker, when CACHE_URL is set (production).
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "api.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.ANON_THROTTLE_RATE, "user": env.USER_THROTTLE_RATE},
    "NUM_PROXIES": env.NUM_PROXIES,  # the client's address for throttling: never a spoofable X-Forwarded-For
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Azerbaijan–NATO Relations Corpus API",
    "DESCRIPTION": (
        "A curated, cited corpus of articles about Azerbaijan's relations with NATO: "
        "articles, actors, programmes, events and quotes, every fact citing the exact words "
        "of its source."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SORT_OPERATION_PARAMETERS": False,
    # Examples are real seed-corpus responses recorded by `manage.py record_api_examples`.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.openapi.examples.add_examples"],
    # Every enumeration is named after its TextChoices class: one component per choice set.
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "corpus.choices.ActorKind",
        "AliasKindEnum": "corpus.choices.AliasKind",
        "SourceKindEnum": "corpus.choices.SourceKind",
        "ProgrammeKindEnum": "corpus.choices.ProgrammeKind",
        "EventTypeEnum": "corpus.choices.EventType",
        "ParticipantRoleEnum": "corpus.choices.ParticipantRole",
        "PrecisionEnum": "corpus.dates.Precision",
        "DateMatchEnum": "api.v1.filters.DATE_MATCH_CHOICES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
