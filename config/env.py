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
