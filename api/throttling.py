"""Who a request comes from, for the throttles and the login lockout alike.

The address is DRF's ``get_ident`` under ``NUM_PROXIES`` (config/env.py): with no proxy configured (0, the
default) it is the socket's address and ``X-Forwarded-For`` is ignored, so a client cannot pick its own; behind
N proxies it is the address the Nth proxy from the service saw. Counters live in the default cache (Redis in
production, so every worker shares them).
"""

from rest_framework import throttling


def client_ip(request) -> str:
    """The client's address as the throttles see it (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return throttling.BaseThrottle().get_ident(request)


class UserRateThrottle(throttling.UserRateThrottle):
    """Authenticated clients' own rate (USER_THROTTLE_RATE); anonymous ones are AnonRateThrottle's alone."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
