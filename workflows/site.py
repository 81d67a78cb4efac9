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
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Application, Site
from viewflow.utils import strip_suffixes
from viewflow.workflow.flow.views.list import (
    WorkflowArchiveListView,
    WorkflowInboxListView,
    WorkflowQueueListView,
)
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.flow.viewset import FlowViewset, NestedFlowsApp, WorkflowAppViewset

from .formatting import wib

SITE_TITLE = "Pamong"


def flow_classes(paths: list[str] | None = None) -> list[type]:
    """Import the flow classes listed in ``settings.PAMONG_FLOWS`` (or ``paths``)."""
    return [import_string(p) for p in (settings.PAMONG_FLOWS if paths is None else paths)]


class _TaskColumns:
    """Columns whose headers viewflow leaves untranslated (derived from method names), with WIB times."""

    def brief(self, task):
        return task.brief

    brief.short_description = _("Ringkasan")

    def process_brief(self, task):
        """What the task is about, linked to its document (the task is taken on the way when still open)."""
        from django.utils.html import format_html

        # data-turbo="false": a plain load, so the address bar shows the document's URL after the redirect
        return format_html('<a href="{}" data-turbo="false">{}</a>', task_open_url(task),
                           task.process.brief or str(task.process))

    process_brief.short_description = _("Perihal")

    def flow_task(self, task):
        return task.title

    flow_task.short_description = _("Langkah")

    def created(self, task):
        return wib(task.created) if task.created else ""

    created.short_description = _("Waktu masuk")

    def finished(self, task):
        return wib(task.finished) if task.finished else ""

    finished.short_description = _("Waktu selesai")


# No internal "#process/task" ids and no column repeating another: what, which step, when.
class PamongInboxView(_TaskColumns, WorkflowInboxListView):
    columns = ("process_brief", "flow_task", "created")


class PamongQueueView(_TaskColumns, WorkflowQueueListView):
    columns = ("process_brief", "flow_task", "created")


class PamongArchiveView(_TaskColumns, WorkflowArchiveListView):
    columns = ("process_brief", "flow_task", "created", "finished")


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
    inbox_view_class = PamongInboxView
    queue_view_class = PamongQueueView
    archive_view_class = PamongArchiveView

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


def _flow_app_name(flow_class: type, taken: set[str]) -> str:
    """URL namespace of a flow under /workflow/flows/: "repair" for RepairFlow, unique within the site.

    viewflow derives it from a class attribute that mounting the flow resets to None, so a flow mounted a
    second time (another URLconf in the same process, e.g. in tests) would silently become "flow" and
    collide with every other flow. Deriving it from the class name keeps it stable.
    """
    name = strip_suffixes(flow_class.__name__, ["Flow"]).lower() or flow_class.__name__.lower()
    if name in taken:
        name = f"{flow_class.__module__.split('.')[0]}_{name}"
    taken.add(name)
    return name


class _UnitScopedRedirectMixin:
    """viewflow's flow-wide pages (kanban dashboard, process and task lists) list every process of the flow.

    A flow whose documents belong to org units sets ``scoped_list_url_name``: a user whose view is limited to
    some units (a lurah, a camat) is sent to that app's own list, which is scoped by ``workflows.policy``;
    city-wide officials keep viewflow's pages.
    """

    def dispatch(self, request, *args, **kwargs):
        from .policy import visible_unit_paths

        url_name = getattr(self.flow_class, "scoped_list_url_name", None)
        if url_name and request.user.is_authenticated and visible_unit_paths(request.user) is not None:
            return redirect(url_name)
        return super().dispatch(request, *args, **kwargs)


class ScopedDashboardView(_UnitScopedRedirectMixin, flow_views.DashboardView):
    pass


class ScopedProcessListView(_UnitScopedRedirectMixin, flow_views.DashboardProcessListView):
    def get_queryset(self):
        # viewflow's annotated (GROUP BY) queryset drops the model's default ordering; paging needs one.
        queryset = super().get_queryset()
        return queryset if queryset.ordered else queryset.order_by("-created", "-pk")


class ScopedTaskListView(_UnitScopedRedirectMixin, flow_views.DashboardTaskListView):
    def task_id(self, task):
        """viewflow links every task to its node's page; a timer node has none (NoReverseMatch, a 500)."""
        try:
            return super().task_id(task)
        except NoReverseMatch:
            return f"#{task.process_id}/{task.pk}"

    task_id.short_description = flow_views.DashboardTaskListView.task_id.short_description


class PamongFlowViewset(FlowViewset):
    dashboard_view_class = ScopedDashboardView
    process_list_view_class = ScopedProcessListView
    task_list_view_class = ScopedTaskListView


def build_site(paths: list[str] | None = None) -> Site:
    """Build the site for the flows in ``paths`` (default ``settings.PAMONG_FLOWS``).

    The URLconf module that mounts it must expose it as its ``site`` attribute (see ``current_site``).
    """
    flow_viewsets, taken = [], set()
    for flow_class in flow_classes(paths):
        flow_viewsets.append(
            PamongFlowViewset(flow_class, icon=getattr(flow_class, "icon", "assignment"),
                        app_name=_flow_app_name(flow_class, taken))
        )
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


def task_document_url(task) -> str:
    """Where a person does ``task``: the page of the document it is about, with the decision form.

    A flow declares ``document_url(self, task) -> str | None`` (e.g. a repair request's page at its
    "Tindakan" section); without one, viewflow's own task page is used (kept for administrators).
    """
    flow_class = task.flow_task.flow_class
    method = getattr(flow_class.instance, "document_url", None)
    url = method(task) if callable(method) else None
    return url or task_url(task)


def task_open_url(task) -> str:
    """The link of an inbox or queue entry: takes the task if it is still open, then shows its document."""
    from django.urls import reverse

    return reverse("task_open", args=[task.pk])
