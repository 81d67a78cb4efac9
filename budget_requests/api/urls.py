"""``/api/v1/`` routes (included by ``budget_requests.urls``)."""
from rest_framework.routers import DefaultRouter

from .views import AssetViewSet, EnvelopeViewSet, RepairRequestViewSet

router = DefaultRouter()
router.register("repair-requests", RepairRequestViewSet, basename="api-repair-request")
router.register("envelopes", EnvelopeViewSet, basename="api-envelope")
router.register("assets", AssetViewSet, basename="api-asset")

urlpatterns = router.urls
