from django.contrib import admin
from django.urls import include, path

from g2g.api.api import api
from g2g.reports import home_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("g2g.core.urls")),
    path("", include(home_urls.urlpatterns)),
    path("", include("g2g.tenancy.urls")),
    path("api/v1/", api.urls),
    path("account/tokens/", include("g2g.api.urls")),
    path("oidc/", include("g2g.sso.urls")),
    path("<slug:authority>/inspections/", include("g2g.inspections.urls")),
    path("<slug:authority>/import/", include("g2g.importers.urls")),
    path("<slug:authority>/measures/", include("g2g.measures.urls")),
    path("<slug:authority>/compare/", include("g2g.measures.compare_urls")),
    path("<slug:authority>/outcomes/", include("g2g.measures.outcome_urls")),
    path("<slug:authority>/rounds/", include("g2g.rounds.urls")),
    path("<slug:authority>/boards/", include("g2g.governance.urls")),
    path("<slug:authority>/audits/", include("g2g.assurance.urls")),
    path("<slug:authority>/annex-a/", include("g2g.annexa.urls")),
    path("<slug:authority>/reports/", include("g2g.reports.urls")),
    path("<slug:authority>/home/", include(home_urls.authority_urlpatterns)),
    path("<slug:authority>/", include("g2g.plans.urls")),
]

handler400 = "g2g.core.views.bad_request"
handler403 = "g2g.core.views.permission_denied"
handler404 = "g2g.core.views.page_not_found"
handler500 = "g2g.core.views.server_error"
