"""``workflows.nodes`` against the stock viewflow behaviour it stands in for: the same graph built from stock
nodes (``View`` + ``Switch`` + ``TimerBoundary``) and from ``RoutedView`` + ``ResponseTimer`` leaves the same
tasks in the same states on every path, and the routed one writes fewer statements."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from workflows.testing.flows import RoutedRouteFlow, StockRouteFlow

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create(username="kontrak")


def _complete(flow_class, process, node, user):
    task = Task.objects.get(process=process, flow_task=getattr(flow_class, node), status=STATUS.NEW)
    request = RequestFactory().post("/")
    request.user = user
    with task.activation() as activation:
        activation.assign(user)
        activation.start(request)
        activation.execute()


def _trace(process):
    """What a path left behind, gateway rows aside: (node, type, status, finished?) in creation order."""
    process.refresh_from_db()
    rows = [(t.flow_task.name, t.flow_task_type, t.status, t.finished is not None)
            for t in process.task_set.order_by("created", "pk") if t.flow_task_type != "SWITCH"]
    return process.status, rows


def _walk(flow_class, route, user, *, timeout=False):
    process = flow_class.start.run(route=route)
    if timeout:
        Task.objects.filter(process=process, flow_task_type="TIMER").update(
            scheduled=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
        fire_due_timers()
    else:
        _complete(flow_class, process, "review", user)
        if route == "again":
            _complete(flow_class, process, "again", user)
    return _trace(process)


@pytest.mark.parametrize("route", ["again", "a", "b"])
def test_routed_view_leaves_what_view_plus_switch_leaves(route, user):
    stock, routed = _walk(StockRouteFlow, route, user), _walk(RoutedRouteFlow, route, user)
    assert routed == stock
    status, rows = routed
    assert status == STATUS.DONE
    # The timer armed with the review task was disarmed when the review completed.
    assert ("review__timeout", "TIMER", STATUS.CANCELED, True) in rows
    assert rows[-1][0] == {"again": "end_a", "a": "end_a", "b": "end_b"}[route]


def test_a_fired_timer_interrupts_the_review_in_both(user):
    stock, routed = _walk(StockRouteFlow, "a", user, timeout=True), _walk(RoutedRouteFlow, "a", user, timeout=True)
    assert routed == stock
    assert ("review", "HUMAN", STATUS.CANCELED, True) in routed[1]
    assert ("review__timeout", "TIMER", STATUS.DONE, True) in routed[1]
    assert routed[1][-1][0] == "end_b"


def test_the_chart_has_the_same_edges():
    def edges(flow_class):
        out = set()
        for node in flow_class.instance.nodes():
            for edge in node._outgoing():
                src, dst = edge.src.name, edge.dst.name
                if src == "decide":  # the stock gateway's edges start at the review task in the routed flow
                    src = "review"
                if dst != "decide":
                    out.add((src, dst))
        return out

    assert edges(RoutedRouteFlow) == edges(StockRouteFlow)


def test_routed_step_writes_fewer_statements(user):
    counts = {}
    for flow_class in (StockRouteFlow, RoutedRouteFlow):
        process = flow_class.start.run(route="a")
        with CaptureQueriesContext(connection) as ctx:
            _complete(flow_class, process, "review", user)
        counts[flow_class] = len(ctx.captured_queries)
    # The gateway row (insert, link, savepoint pair, update) and the disarm's select and process load.
    assert counts[RoutedRouteFlow] <= counts[StockRouteFlow] - 6
