"""Health endpoints for orchestrators (docker-compose healthchecks, load balancers): small JSON, never cached.

- ``/healthz``: the process is up and answers; it touches nothing else (no database).
- ``/readyz``: it can serve: the database answers, every migration is applied and the corpus is loaded.
  503 with ``Retry-After`` and the failing checks otherwise.
"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

from api.exceptions import RETRY_AFTER_SECONDS

_migrated = False  # once every migration is applied, a process need not read the migration files again


def healthz(request):
    return _answer({"status": "ok"}, 200)


def readyz(request):
    checks = {"database": "ok", "migrations": "ok", "corpus": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_applied():
            checks["migrations"] = "not applied: run manage.py migrate"
        elif not _corpus_loaded():
            checks["corpus"] = "empty: run manage.py load_corpus"
    except DatabaseError as exc:
        checks["database"] = f"unavailable: {exc.__class__.__name__}"
        checks["migrations"] = checks["corpus"] = "unknown"
    ready = all(value == "ok" for value in checks.values())
    response = _answer({"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _corpus_loaded() -> bool:
    from corpus.models import Article

    return Article.objects.exists()


def _answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
