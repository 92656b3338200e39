from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api.v1 import views

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("sources", views.SourceViewSet, basename="source")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("events", views.EventViewSet, basename="event")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("timeline", views.TimelineViewSet, basename="timeline")
router.register("disputes", views.DisputeViewSet, basename="dispute")

urlpatterns = router.urls + [
    path("search/", views.SearchView.as_view(), name="search"),
    path("graph/", views.GraphView.as_view(), name="graph"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Self-hosted (sidecar) assets; the templates give inline code the request's CSP nonce, and the Redoc one
    # drops drf-spectacular's Google Fonts links.
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="v1:schema", template_name="api/swagger_ui.html"),
        name="swagger-ui",
    ),
    path("redoc/", SpectacularRedocView.as_view(url_name="v1:schema", template_name="api/redoc.html"), name="redoc"),
]
