from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api.v1 import views
from config.csp import REDOC_BUNDLE_STYLE_HASHES

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
    # Redoc's bundle inserts two styles before it knows the nonce: their exact hashes, on this page only (config/csp.py).
    path(
        "redoc/",
        csp_update({"style-src": REDOC_BUNDLE_STYLE_HASHES})(
            SpectacularRedocView.as_view(url_name="v1:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
]
