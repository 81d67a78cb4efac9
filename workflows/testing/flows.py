"""Flows used only by tests: ``ShellProbeFlow`` proves that a flow added to ``PAMONG_FLOWS`` shows up in the
site-wide inbox, queue and home page (it stores its subject in the process's JSON ``data``); ``StockRouteFlow`` and
``RoutedRouteFlow`` are the same graph built from viewflow's stock nodes and from ``workflows.nodes``, for the
contract test of the latter."""
import datetime

from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import UpdateProcessView

from workflows.nodes import RoutedView


class ShellProbeFlow(flow.Flow):
    """Uji cangkang

    Alur kecil untuk pengujian kotak masuk."""

    lock_impl = lock.select_for_update_lock
    process_summary_template = "{{ process.data.subject }}"
    icon = "science"

    start = flow.StartHandle(this.start_probe).Next(this.review)
    review = (
        flow.View(UpdateProcessView.as_view(fields=[]))
        .Annotation(title="Tinjau usulan")
        .Permission(lambda activation: activation.process.data.get("permission"))
        .Next(this.end)
    )
    end = flow.End()

    def start_probe(self, activation, subject: str, permission: str):
        activation.process.data = {"subject": subject, "permission": permission}
        return activation.process

    def has_view_permission(self, user, obj=None):
        return bool(user.is_authenticated)


class _ContractBase(flow.Flow):
    """Shared handlers of the two contract flows: the process's ``data["route"]`` says where the review goes;
    the timer is due an hour after the review task is created."""

    lock_impl = lock.select_for_update_lock

    def start_contract(self, activation, route: str):
        activation.process.data = {"route": route}
        return activation.process

    def due(self, activation):
        return datetime.timedelta(hours=1)


def _goes(route):
    return lambda activation: activation.process.data.get("route") == route


class StockRouteFlow(_ContractBase):
    """Kontrak: View + Switch + TimerBoundary bawaan viewflow."""

    start = flow.StartHandle(this.start_contract).Next(this.review)
    review = (
        flow.View(UpdateProcessView.as_view(fields=[]))
        .OnTimeout(this.due, this.late)
        .Next(this.decide)
    )
    decide = flow.Switch().Case(this.again, _goes("again")).Case(this.end_a, _goes("a")).Default(this.end_b)
    again = flow.View(UpdateProcessView.as_view(fields=[])).Next(this.end_a)
    late = flow.Function(this.noop).Next(this.end_b)
    end_a = flow.End()
    end_b = flow.End()

    def noop(self, activation):
        return None


class RoutedRouteFlow(_ContractBase):
    """Kontrak: RoutedView + ResponseTimer milik Pamong."""

    start = flow.StartHandle(this.start_contract).Next(this.review)
    review = (
        RoutedView(UpdateProcessView.as_view(fields=[]))
        .OnTimeout(this.due, this.late)
        .Route(this.again, _goes("again")).Route(this.end_a, _goes("a")).Route(this.end_b)
    )
    again = flow.View(UpdateProcessView.as_view(fields=[])).Next(this.end_a)
    late = flow.Function(this.noop).Next(this.end_b)
    end_a = flow.End()
    end_b = flow.End()

    def noop(self, activation):
        return None
