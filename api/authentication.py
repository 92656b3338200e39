"""API authentication: HTTP Basic with django-axes' lockout, sessions, and nothing else.

A header that is not valid credentials buys nothing: a refused Basic credential, or an ``Authorization`` header of
any other scheme, is a 401 problem+json (such requests skip the response cache, so treating them as anonymous would
let junk headers force full renders). A client address locked out by django-axes after ``LOGIN_FAILURE_LIMIT``
failures (admin form or Basic auth) gets 429 with ``Retry-After`` until ``LOGIN_COOLOFF_MINUTES`` pass, even with
the right password, and its guesses cost no password hashing meanwhile.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from rest_framework import authentication, exceptions


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def locked_out_detail() -> str:
    return (
        f"Too many failed login attempts from this address: locked out for {cooloff_seconds() // 60} minutes "
        "(each further attempt restarts the wait)."
    )


class InvalidCredentials(exceptions.APIException):
    """401 with a Basic challenge. Not DRF's AuthenticationFailed, which becomes a 403 when the first authentication
    class (sessions) has no challenge to offer: a request without credentials stays a 403."""

    status_code = 401
    default_code = "authentication_failed"
    auth_header = 'Basic realm="api"'  # DRF's handler sends it as WWW-Authenticate


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's Basic authentication: a refused credential is a 401, and a 429 while django-axes has the client
    locked out."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:
            if getattr(request, "axes_locked_out", False):  # set by django-axes' backend or failure handler
                raise exceptions.Throttled(wait=cooloff_seconds(), detail=locked_out_detail()) from None
            raise InvalidCredentials(exc.detail) from None


class RefuseUnrecognisedAuthorization(authentication.BaseAuthentication):
    """Last in the chain: an ``Authorization`` header that no earlier class accepted is refused, not ignored."""

    def authenticate(self, request):
        if "HTTP_AUTHORIZATION" in request.META:
            raise InvalidCredentials("The Authorization header holds no credentials this API accepts (HTTP Basic).")
        return None


def locked_out_response(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): problem+json under /api/, a plain page elsewhere."""
    from api.exceptions import problem  # api.exceptions imports DRF, whose settings import this module
    from api.renderers import ProblemJSONRenderer

    if request.path.startswith("/api/"):
        response = JsonResponse(problem(429, locked_out_detail()), status=429, content_type=ProblemJSONRenderer.media_type)
    else:
        page = "<!doctype html><title>Too many login attempts</title><h1>Too many login attempts</h1>"
        response = HttpResponse(f"{page}<p>{locked_out_detail()}</p>", status=429)
    response["Retry-After"] = str(cooloff_seconds())
    response["Cache-Control"] = "no-store"
    return response
