"""Each write request's view runs in one transaction, retried once if the database gives up on it.

PostgreSQL aborts a transaction it cannot order with the others: a deadlock (SQLSTATE 40P01; two
writers locking the same rows in opposite orders, e.g. curators saving the same articles, whose
search-leader triggers lock their lists: corpus migration 0006) or a serialization failure
(40001, under REPEATABLE READ or SERIALIZABLE). SQLite answers "database is locked" when another
writer holds it too long. None of these is the request's fault, and the same request run again
usually succeeds, so:

- a request with an unsafe method (POST, PUT, PATCH, DELETE: the admin's saves, later the write
  API) runs its view inside ``transaction.atomic()``, committed only if the view returns; if the
  view or the commit fails so, the transaction is rolled back and the view runs once more;
- if that fails too, or the view is one of ``transaction.non_atomic_requests`` (its writes may
  have committed, so it is not run again), or a read failed so, the answer is a
  ``503 Service Unavailable`` problem (application/problem+json) with ``Retry-After``: never a
  500, in the API and the admin alike.

After a write request this process reads the corpus version it committed
(corpus/services/version_watch.py: ``refresh``), so its next request never serves a cached
answer from before the write.

It is the last middleware (config/settings.py), so CSRF and authentication have run before the
transaction opens, and it wraps the view only: sessions and messages are saved after.
"""

import contextlib
import logging

from asgiref.sync import iscoroutinefunction
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, transaction
from django.http import JsonResponse
from django.http.request import RawPostDataException

from api.exceptions import problem
from api.renderers import ProblemJSONRenderer
from corpus.services.version_watch import watch

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
TRANSIENT_SQLSTATES = {"40001": "serialization failure", "40P01": "deadlock"}
RETRY_AFTER_SECONDS = 1

logger = logging.getLogger(__name__)


def transient(exc: BaseException) -> str | None:
    """What went wrong, if ``exc`` is a failure that running the transaction again may not meet; else None."""
    if not isinstance(exc, DatabaseError):
        return None
    cause = exc.__cause__ or exc  # Django wraps the driver's exception
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate in TRANSIENT_SQLSTATES:
        return TRANSIENT_SQLSTATES[sqlstate]
    if (getattr(cause, "sqlite_errorname", None) or "").startswith("SQLITE_BUSY"):
        return "database locked"
    return None


def unavailable(reason: str, rolled_back: bool = True) -> JsonResponse:
    outcome = "it changed nothing" if rolled_back else "some of its changes may have been saved"
    response = JsonResponse(
        problem(503, f"The database could not complete this request ({reason}); {outcome}. Try again."),
        status=503,
        content_type=ProblemJSONRenderer.media_type,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class TransactionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method in SAFE_METHODS or iscoroutinefunction(view):
            return None  # reads run as they are (no BEGIN and COMMIT round trips); process_exception answers a failure
        if "default" in getattr(view, "_non_atomic_requests", ()):
            return self.run_once(request, view, args, kwargs)
        with contextlib.suppress(RawPostDataException, RequestDataTooBig):
            _ = request.body  # read now, so that a second run of the view can read it again
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    response = view(request, *args, **kwargs)
            except DatabaseError as exc:
                reason = transient(exc)
                if reason is None:
                    raise
                logger.warning("%s %s: %s (attempt %d of 2)", request.method, request.path, reason, attempt)
                continue
            watch.refresh()
            return response
        return unavailable(reason)

    def run_once(self, request, view, args, kwargs):
        try:
            response = view(request, *args, **kwargs)
        except DatabaseError as exc:
            reason = transient(exc)
            if reason is None:
                raise
            logger.warning("%s %s: %s (not retried: the view is not atomic)", request.method, request.path, reason)
            return unavailable(reason, rolled_back=False)
        watch.refresh()
        return response

    def process_exception(self, request, exception):
        """A read's view (or a response's rendering) failing so: 503, not 500."""
        reason = transient(exception)
        if reason is None:
            return None
        logger.warning("%s %s: %s", request.method, request.path, reason)
        return unavailable(reason)
