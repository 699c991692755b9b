"""The JSON API under /api/v1/: one NinjaAPI, one router per domain app."""

from ninja import NinjaAPI

from cobench.assays.api import router as assays_router
from cobench.assays.sar.api import router as sar_router
from cobench.assays.sar.api import series_router
from cobench.audit.api import router as audit_router
from cobench.charters.api import router as charters_router
from cobench.compound_requests.api import router as requests_router
from cobench.compounds.api import router as compounds_router
from cobench.concerns.api import router as concerns_router
from cobench.meetings.api import router as meetings_router
from cobench.notifications.api import router as notifications_router
from cobench.search.api import router as search_router
from cobench.security.api import router as security_router
from cobench.status.api import router as status_router
from cobench.tenancy.api import router as tenancy_router

from . import problems
from .auth import AUTH

api = NinjaAPI(
    title="cobench",
    version="1",
    description="The shared bench of a drug-discovery partnership. Authenticate with a "
    "personal API token (`Authorization: Bearer <token>`) or the web session.",
    auth=AUTH,
    urls_namespace="api",
)
problems.install(api)
for router in (
    tenancy_router,
    charters_router,
    audit_router,
    security_router,
    notifications_router,
    status_router,
    concerns_router,
    meetings_router,
    compounds_router,
    requests_router,
    search_router,
    assays_router,
    series_router,
    sar_router,
):
    api.add_router("", router)
