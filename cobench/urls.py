from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from cobench.api.urls import api

# the admin signs in through cobench's own sign-in page, second factor included
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("cobench.notifications.urls")),
    path("", include("cobench.status.urls")),
    path("", include("cobench.concerns.urls")),
    path("", include("cobench.meetings.urls")),
    path("", include("cobench.compounds.urls")),
    path("", include("cobench.compound_requests.urls")),
    path("", include("cobench.search.urls")),
    path("", include("cobench.assays.urls")),
    path("", include("cobench.assays.sar.urls")),
    path("", include("cobench.tenancy.urls")),
    path("", include("cobench.charters.urls")),
    path("", include("cobench.audit.urls")),
    path("", include("cobench.security.urls")),
]
