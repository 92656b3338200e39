"""Root URLs: the admin, the versioned API and the health endpoints."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config import health

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path(settings.ADMIN_PATH, admin.site.urls),  # ADMIN_PATH: not where scanners look first
    path("api/", include("api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

handler400 = "api.exceptions.bad_request"
handler500 = "api.exceptions.server_error"
