"""Root URLconf.

- ``/`` home page, ``/healthz``, notifications etc.: ``workflows.urls``
- ``/accounts/login/``, ``/accounts/logout/`` (POST), password change: viewflow's ``AuthViewset``
- ``/workflow/inbox/``, ``/workflow/queue/``, ``/workflow/archive/`` and each flow's pages under
  ``/workflow/flows/<flow>/``: the viewflow site built from ``settings.PAMONG_FLOWS`` (``workflows.site``)
- each app's own ``urls.py`` (``perda.urls``, ``budget_requests.urls``) is included at the root as soon as
  the module exists; an app prefixes its own routes (``perda/…``) and puts public pages under ``publik/…``.
- ``/api/schema/`` OpenAPI 3 schema, ``/api/docs/`` Swagger UI, ``/api/redoc/`` Redoc; resources under ``/api/v1/``
"""
from importlib.util import find_spec

from django.contrib import admin
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from viewflow.contrib.auth import AuthViewset

from workflows.csp import INLINE_STYLE_SRC
from workflows.site import build_site
from workflows.views import PamongLoginView, PamongPasswordChangeView, PamongPasswordResetConfirmView

# Apps whose urls.py is picked up when it exists. Append here only for a new app.
OPTIONAL_APP_URLCONFS = [
    "perda.urls", "budget_requests.urls", "budget_requests.finance.urls", "budget_requests.complaints.urls",
]


def optional_includes(modules: list[str]) -> list:
    """``path("", include(m))`` for each module that exists. A module that exists but fails to import raises."""
    patterns = []
    for module in modules:
        try:
            found = find_spec(module) is not None
        except ModuleNotFoundError:  # the parent package itself is missing
            found = False
        if found:
            patterns.append(path("", include(module)))
    return patterns


def build_urlpatterns(site) -> list:
    """The project's routes around a viewflow ``site`` (a test URLconf builds its own site the same way)."""
    return [
        path("admin/", admin.site.urls),
        path("i18n/", include("django.conf.urls.i18n")),
        path("accounts/", AuthViewset(
            with_profile_view=False,
            login_view_class=PamongLoginView,
            pass_change_view_class=PamongPasswordChangeView,
            pass_reset_confirm_view_class=PamongPasswordResetConfirmView,
        ).urls),
        path("", include("workflows.urls")),
        # REST API: OpenAPI schema and its browsable docs (the resources live in each app's urls.py, /api/v1/…).
        path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
        # Redoc cannot work without inline <style> elements (workflows/csp.py): the one page that keeps them.
        path("api/redoc/", csp_replace(INLINE_STYLE_SRC)(SpectacularRedocView.as_view(url_name="api-schema")),
             name="api-redoc"),
        *optional_includes(OPTIONAL_APP_URLCONFS),
        path("", site.urls),
    ]


# ``site`` is looked up by workflows.site.current_site() on the active URLconf module: keep the name.
site = build_site()
urlpatterns = build_urlpatterns(site)
