"""The viewflow site every user sees: Pamong's Kotak Masuk / Antrean / Arsip over every registered flow.

Flows are registered by dotted path in ``settings.PAMONG_FLOWS`` (each app appends its own) and imported only
when the site is built, i.e. when ``config.urls`` is first loaded, so an app's flow module is never imported
during settings or app loading. The shell works with an empty list (the inbox is simply empty).

For an inbox entry to say what it is about, a flow should set ``process_summary_template`` (rendered with
``process``), e.g. ``"{{ process.artifact.title }}"``, and may set ``icon = "gavel"`` for its menu entry.
A flow decides who may see its dashboard through ``has_view_permission(user)``; the default of viewflow
asks for the model permission ``view_<process>``.
"""
from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.urls import path
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Application, Site
from viewflow.workflow.flow.viewset import FlowViewset, NestedFlowsApp, WorkflowAppViewset

SITE_TITLE = "Pamong"


def flow_classes(paths: list[str] | None = None) -> list[type]:
    """Import the flow classes listed in ``settings.PAMONG_FLOWS`` (or ``paths``)."""
    return [import_string(p) for p in (settings.PAMONG_FLOWS if paths is None else paths)]


class PamongFlowsApp(NestedFlowsApp):
    """The "Proses" sub-menu listing each flow's dashboard."""

    title = _("Proses")


class PamongWorkflowApp(WorkflowAppViewset):
    """Site-wide inbox, queue and archive over every registered flow.

    viewflow's own version hides itself when no flow is registered and crashes on an empty process menu;
    here any logged-in user may open the lists (each list only shows flows the user may view).
    """

    title = _("Tugas")
    icon = "assignment"

    def __init__(self, flow_viewsets, **kwargs):
        self.flow_classes = [viewset._flow_class for viewset in flow_viewsets]
        viewsets = list(kwargs.pop("viewsets", []) or [])
        if flow_viewsets:
            viewsets.append(PamongFlowsApp(viewsets=flow_viewsets))
        # Skip WorkflowAppViewset.__init__, which always appends the (then empty) process menu.
        Application.__init__(self, viewsets=viewsets, **kwargs)

    def has_view_permission(self, user, obj=None):
        return bool(user.is_authenticated)

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="workflow:inbox"), name="index")


class PamongSite(Site):
    def has_view_permission(self, user, obj=None):
        return bool(user.is_authenticated)


def build_site(paths: list[str] | None = None) -> Site:
    """Build the site for the flows in ``paths`` (default ``settings.PAMONG_FLOWS``).

    The URLconf module that mounts it must expose it as its ``site`` attribute (see ``current_site``).
    """
    flow_viewsets = [
        FlowViewset(flow_class, icon=getattr(flow_class, "icon", "assignment")) for flow_class in flow_classes(paths)
    ]
    site = PamongSite(
        title=SITE_TITLE,
        primary_color="#0d5c63",
        secondary_color="#f2a541",
        viewsets=[PamongWorkflowApp(flow_viewsets=flow_viewsets)],
    )
    return site


def current_site() -> Site | None:
    """The site mounted by the active URLconf (``config.urls`` unless a test overrides ROOT_URLCONF)."""
    from django.urls import get_urlconf

    urlconf = get_urlconf() or settings.ROOT_URLCONF
    module = import_module(urlconf) if isinstance(urlconf, str) else urlconf
    return getattr(module, "site", None)


def workflow_app(site: Site | None = None) -> PamongWorkflowApp | None:
    site = site or current_site()
    if site is None:
        return None
    for viewset in site.viewsets:
        if isinstance(viewset, PamongWorkflowApp):
            return viewset
    return None


def site_flow_classes() -> list[type]:
    """Flow classes of the mounted site (those whose URLs exist), for inbox queries outside viewflow views."""
    app = workflow_app()
    return list(app.flow_classes) if app else []


def ensure_urls_loaded() -> None:
    """Import the active URLconf so that flow nodes know their parents.

    viewflow builds a node's URL namespace from the chain of viewsets it was mounted in, which is set only
    when the URLconf is imported. Inside a request that has happened; in a Celery worker, a management
    command or a test that reverses a task URL before the first request, call this first.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the module)


def task_url(task) -> str:
    """The URL that opens ``task`` (viewflow's "index" of its node), usable outside a request."""
    ensure_urls_loaded()
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])
