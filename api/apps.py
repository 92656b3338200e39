from django.apps import AppConfig
from django.core import checks


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from api.checks import row_renderers

        checks.register(row_renderers, "api")
