"""Root URLs: the admin and the versioned API."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]

handler500 = "api.exceptions.server_error"
