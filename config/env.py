"""Every setting that comes from the environment is read here, in one place."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def get_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def get_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = get_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = get_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
# Seconds a database connection is kept open between requests (0 closes it after each request).
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60"))
# Check a kept connection is alive before a request reuses it (one round trip per request).
CONN_HEALTH_CHECKS = get_bool("CONN_HEALTH_CHECKS", default=True)
# PostgreSQL: bind parameters server-side and prepare statements a connection has run this many times,
# so PostgreSQL skips parsing and planning them (docs/performance.md); empty: neither (e.g. for a
# connection pooler without prepared-statement support, such as PgBouncer before 1.21).
DATABASE_PREPARE_THRESHOLD = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
# Anonymous read throttle, in DRF's "<number>/<period>" form.
ANON_THROTTLE_RATE = os.environ.get("ANON_THROTTLE_RATE", "1000/minute")
STATIC_ROOT = os.environ.get("STATIC_ROOT") or str(BASE_DIR / "staticfiles")
# Seconds an API response stays in the cache (keyed by the corpus version); 0 turns the cache off.
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "300"))
# Seconds a list's count stays cached (keyed by the corpus version, so never stale); 0 counts on every request.
API_COUNT_CACHE_SECONDS = int(os.environ.get("API_COUNT_CACHE_SECONDS", "86400"))
# Keep the corpus version in each process's memory, updated by PostgreSQL LISTEN/NOTIFY (off: ask per request).
CORPUS_VERSION_LISTEN = get_bool("CORPUS_VERSION_LISTEN", default=True)
# Cache backend: locmem (per process) unless a redis:// URL is given.
CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
# With Redis: how many API responses each process also keeps in its own memory (0: none).
API_LOCAL_CACHE_ENTRIES = int(os.environ.get("API_LOCAL_CACHE_ENTRIES", "256"))
# Authenticated API clients' throttle, in the same form (anonymous clients have ANON_THROTTLE_RATE).
USER_THROTTLE_RATE = os.environ.get("USER_THROTTLE_RATE", "3000/minute")
# How many reverse proxies in front of the service append to X-Forwarded-For: the throttles and the login lockout
# take the client's address from that many hops back. 0 (no proxy): the socket's address; X-Forwarded-For is ignored.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
# Failed logins (admin form or API Basic auth) from one address before it is locked out, and for how long.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
# Where the admin is served (a path, ending in "/").
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/")
# HTTPS, for a deployment where clients reach the service over TLS (README, "Production"): redirect plain HTTP to
# HTTPS (except /healthz and /readyz), send HSTS for this many seconds (0: none), with subdomains and preload, and
# mark the session and CSRF cookies Secure.
SECURE_SSL_REDIRECT = get_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = get_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_COOKIES = get_bool("SECURE_COOKIES", default=False)
# Behind a TLS-terminating proxy: the header it sets to "https" on requests that came over TLS (e.g.
# X-Forwarded-Proto); the proxy must overwrite any copy a client sends. Empty: no proxy, trust only the socket.
SECURE_PROXY_SSL_HEADER = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
