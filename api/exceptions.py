"""One error shape for the whole API: RFC 9457 problem details.

Every error body is ``{"type", "title", "status", "detail"}``, plus ``errors`` (parameter or
field name -> list of messages) for validation errors, served as ``application/problem+json``.
"""

import sys

from django.core.exceptions import DisallowedHost, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from api.renderers import ProblemJSONRenderer

PROBLEM_TYPE = "about:blank"  # RFC 9457: the title is then the HTTP status phrase
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
RETRY_AFTER_SECONDS = 5  # what a client told the database is unavailable waits before asking again


def problem(status_code: int, detail: str, errors: dict | None = None) -> dict:
    body = {"type": PROBLEM_TYPE, "title": TITLES.get(status_code, "Error"), "status": status_code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def exception_handler(exc, context):
    """DRF's handler (headers such as Retry-After and Allow kept), with the body rewritten as a problem."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, ProtectedError):
        exc = exceptions.APIException(str(exc.args[0]))
        exc.status_code = status.HTTP_409_CONFLICT
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: let Django log it and answer 500
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        names = ", ".join(errors)
        response.data = problem(response.status_code, f"Invalid input: {names}.", errors)
    elif isinstance(exc, Http404 | exceptions.NotFound):
        response.data = problem(404, "No such resource." if isinstance(exc, Http404) else str(exc.detail))
    elif isinstance(exc, PermissionDenied | exceptions.APIException):
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = problem(response.status_code, str(detail))
    request = context.get("request")
    if request is not None:  # errors are problem+json whatever format the client asked for
        request.accepted_renderer = ProblemJSONRenderer()
        request.accepted_media_type = ProblemJSONRenderer.media_type
    return response


def not_found(request, *args, **kwargs):
    """Any other path under /api/ (an unknown version or resource): a JSON 404 in the same shape."""
    return JsonResponse(
        problem(404, f"No API resource at {request.path}. The API lives under /api/v1/."),
        status=404,
        content_type=ProblemJSONRenderer.media_type,
    )


def server_error(request, *args, **kwargs):
    """handler500: an unexpected error under /api/ still answers in the problem shape (the admin keeps Django's page)."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):  # raised anywhere: middleware, view, renderer
        return database_unavailable(request)
    if not request.path.startswith("/api/"):
        return defaults.server_error(request, *args, **kwargs)
    return JsonResponse(
        problem(500, "The server failed to answer this request; the error has been logged."),
        status=500,
        content_type=ProblemJSONRenderer.media_type,
    )


def database_unavailable(request):
    """The database cannot be reached (down, restarting, refusing connections): 503 with Retry-After, not a 500.
    problem+json under /api/, a plain page elsewhere (the admin)."""
    if request.path.startswith("/api/"):
        body = problem(503, "The database is unavailable; try again shortly.")
        response = JsonResponse(body, status=503, content_type=ProblemJSONRenderer.media_type)
    else:
        page = "<!doctype html><title>Service unavailable</title><h1>Service unavailable</h1>"
        response = HttpResponse(f"{page}<p>The database cannot be reached; try again in a few seconds.</p>", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None, *args, **kwargs):
    """handler400: a request Django refuses before any view (e.g. a Host not in ALLOWED_HOSTS) is problem+json
    under /api/, like every other API error (Django's HTML page elsewhere)."""
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception, *args, **kwargs)
    detail = "The Host header is not one this service answers for." if isinstance(exception, DisallowedHost) else None
    return JsonResponse(
        problem(400, detail or "The request is malformed."), status=400, content_type=ProblemJSONRenderer.media_type
    )
