"""Reads behind the app shell: who the user acts as today, their inbox/queue heads, their role links.

Each helper caches its answer on the request, so the top bar, the menu and the home page share one set of
queries; the home page's query count does not grow with the number of tasks (only ``HOME_ENTRIES`` rows are
rendered).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .acting import Acting, in_force, local_date, positions_today, who_acts_for
from .models import Assignment
from .site import site_flow_classes, task_open_url

HOME_ENTRIES = 5


@dataclass(frozen=True)
class TaskEntry:
    """One line of an inbox or queue: the step, what it is about, when it arrived, where to open it."""

    pk: int
    process_pk: int
    step: str
    about: str
    created: datetime
    url: str


@dataclass(frozen=True)
class HomeLink:
    label: str
    url: str
    icon: str


def _cached(request: HttpRequest, name: str, compute):
    key = f"_pamong_{name}"
    if not hasattr(request, key):
        setattr(request, key, compute())
    return getattr(request, key)


def acting_today(request: HttpRequest) -> list[Acting]:
    """The positions the user holds or acts for today (WIB), with capacity."""
    return _cached(request, "acting", lambda: positions_today(request.user))


@dataclass(frozen=True)
class Represented:
    """A position the user holds but for which someone else acts today (a Plh while the holder is away)."""

    position_title: str
    acting: list[Acting]


def represented_today(request: HttpRequest) -> list[Represented]:
    """Positions assigned to the user today whose authority another person exercises (Plh/Plt in force)."""

    def compute():
        user = request.user
        if not user.is_authenticated:
            return []
        mine = {a.position.pk for a in acting_today(request)}
        assigned = (
            Assignment.objects.filter(in_force(local_date()), user=user, position__is_active=True)
            .exclude(position_id__in=mine)
            .select_related("position")
        )
        return [Represented(a.position.title, who_acts_for(a.position)) for a in assigned]

    return _cached(request, "represented", compute)


def capacity_labels(request: HttpRequest) -> list[str]:
    return [a.capacity_label for a in acting_today(request)]


def available_flows(request: HttpRequest) -> list[type]:
    """The site's flows the user may view, asked once per request (a flow's check may run queries)."""
    return _cached(
        request, "available_flows",
        lambda: [f for f in site_flow_classes() if f.instance.has_view_permission(request.user)],
    )


def inbox_queryset(request: HttpRequest):
    """As ``Task.objects.inbox`` (tasks assigned to the user), without re-asking each flow per queryset."""
    _prime_position_permissions(request)
    return Task.objects.coerce_for(available_flows(request)).filter(owner=request.user, status=STATUS.ASSIGNED)


def queue_queryset(request: HttpRequest):
    """As ``Task.objects.queue`` (unassigned tasks the user may take, e.g. addressed to their positions)."""
    _prime_position_permissions(request)
    return (
        Task.objects.coerce_for(available_flows(request)).user_queue(request.user).filter(status=STATUS.NEW)
    )


def _prime_position_permissions(request: HttpRequest) -> None:
    """Let the permission backend reuse today's positions computed for the page instead of querying again."""
    from .permissions import _CACHE_ATTR, PREFIX

    user = request.user
    if user.is_authenticated and not hasattr(user, _CACHE_ATTR):
        setattr(user, _CACHE_ATTR, {f"{PREFIX}{a.position.pk}" for a in acting_today(request)})


def task_counts(request: HttpRequest) -> dict[str, int]:
    """``{"inbox": n, "queue": m}`` for the menu badges and the home page."""

    def compute():
        if not request.user.is_authenticated or not available_flows(request):
            return {"inbox": 0, "queue": 0}
        return {"inbox": inbox_queryset(request).count(), "queue": queue_queryset(request).count()}

    return _cached(request, "task_counts", compute)


def _about(task) -> str:
    """What the task is about: the process's brief (flows set ``process_summary_template``), else its name."""
    try:
        brief = task.process.brief
    except Exception:  # a broken summary template must not take the home page down
        brief = None
    return (brief or str(task.process)).strip()


def _task_url(task) -> str:
    try:
        return task_open_url(task)
    except NoReverseMatch:
        return ""


def task_entries(queryset, limit: int = HOME_ENTRIES) -> list[TaskEntry]:
    rows = queryset.select_related("process").order_by("-created")[:limit]
    return [
        TaskEntry(
            pk=t.pk, process_pk=t.process_id, step=str(t.title), about=_about(t), created=t.created, url=_task_url(t)
        )
        for t in rows
    ]


def home_links(request: HttpRequest) -> list[HomeLink]:
    """Entries of ``settings.PAMONG_HOME_LINKS`` for the user's position kinds today; unknown URL names skipped."""

    def compute():
        kinds = {a.position.kind for a in acting_today(request)}
        links = []
        seen = set()
        for entry in getattr(settings, "PAMONG_HOME_LINKS", []):
            wanted = entry.get("kinds", "*")
            if wanted != "*" and not request.user.is_superuser and not kinds.intersection(wanted):
                continue
            try:
                url = reverse(entry["url_name"], args=entry.get("args"), kwargs=entry.get("kwargs"))
            except NoReverseMatch:
                continue
            if url in seen:
                continue
            seen.add(url)
            links.append(HomeLink(label=str(entry["label"]), url=url, icon=entry.get("icon", "arrow_forward")))
        return links

    return _cached(request, "home_links", compute)


def home_context(request: HttpRequest) -> dict:
    flows = available_flows(request) if request.user.is_authenticated else []
    counts = task_counts(request)
    return {
        "today": local_date(),
        "acting": acting_today(request),
        "represented": represented_today(request),
        "inbox_count": counts["inbox"],
        "queue_count": counts["queue"],
        "inbox_entries": task_entries(inbox_queryset(request)) if flows and counts["inbox"] else [],
        "queue_entries": task_entries(queue_queryset(request)) if flows and counts["queue"] else [],
        "links": home_links(request),
        "has_flows": bool(flows),
    }
