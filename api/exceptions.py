"""One error shape for the whole API: RFC 9457 problem details.

Every error body is ``{"type", "title", "status", "detail"}``, plus ``errors`` (parameter or
field name -> list of messages) for validation errors, served as ``application/problem+json``.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
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
    if not request.path.startswith("/api/"):
        return defaults.server_error(request, *args, **kwargs)
    return JsonResponse(
        problem(500, "The server failed to answer this request; the error has been logged."),
        status=500,
        content_type=ProblemJSONRenderer.media_type,
    )
