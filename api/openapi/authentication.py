"""How drf-spectacular documents the API's authentication classes (api/authentication.py)."""

from drf_spectacular.authentication import BasicScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class LockoutBasicScheme(BasicScheme):
    """HTTP Basic, as DRF's: the lockout changes only the answer to a locked-out client."""

    target_class = "api.authentication.BasicAuthentication"


class RefuseUnrecognisedScheme(OpenApiAuthenticationExtension):
    """Accepts no credentials of its own, so it adds no security scheme."""

    target_class = "api.authentication.RefuseUnrecognisedAuthorization"
    name = []

    def get_security_requirement(self, auto_schema):
        return None

    def get_security_definition(self, auto_schema):
        return []
