from django.apps import AppConfig
from django.core import checks


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        import api.openapi.authentication  # noqa: F401  (registers drf-spectacular extensions)
        from api.checks import row_renderers

        checks.register(row_renderers, "api")
