"""Root URLs: the admin, the versioned API and the health endpoints."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config import health

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

handler400 = "api.exceptions.bad_request"
handler500 = "api.exceptions.server_error"
