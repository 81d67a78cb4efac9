"""The two flow nodes Pamong keeps beside viewflow's stock ones, each checked against the stock behaviour it
replaces (``tests/workflows/test_nodes_contract.py``).

* ``RoutedView`` — a human task that picks its successor from conditions when it completes: the same as
  ``flow.View(...).Next(flow.Switch().Case(...))`` without the gateway's own task row. A document whose
  route loops (1–3 review steps) passes through that gateway on every decision, and the gateway costs five
  SQL statements (insert, link, savepoint pair, update) of an approval's twenty. The task itself is
  created, assigned, started and completed by viewflow's own ``ViewActivation``; only the choice of the
  next node is ours (``create_next``, the hook every stock node defines for that).
* ``ResponseTimer`` — viewflow's ``TimerBoundary``, disarmed in one ``UPDATE``: when the host task finishes,
  the stock node selects its armed timers, loads each one's process and saves each one ``CANCELED``; here
  one ORM ``update()`` on the same rows sets the same two columns (``status``, ``finished``) — what
  ``TimerActivation.cancel`` does, which sends no signal and touches nothing else. Arming and firing are
  stock.
"""
from __future__ import annotations

from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.flow.nodes import TimerBoundary
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS


class ResponseTimer(TimerBoundary):
    """``TimerBoundary`` whose disarm is one ``UPDATE`` (see the module docstring)."""

    def _on_host_finished(self, **signal_kwargs):
        host_task = signal_kwargs["task"]
        if host_task.flow_task != self._attached_to:
            return
        # The rows the stock node cancels: this node's timers armed for the host task, in a status from which
        # ``TimerActivation.cancel`` may proceed.
        self.flow_class.task_class._default_manager.filter(
            flow_task=self, process_id=host_task.process_id, previous=host_task,
            status__in=[STATUS.NEW, STATUS.SCHEDULED],
        ).update(status=STATUS.CANCELED, finished=now())


class RoutedViewActivation(ViewActivation):
    @Activation.status.super()
    def create_next(self):
        yield self.flow_task.next_node(self)._create(self, self.task.token)


class RoutedView(flow.View):
    """A human task that chooses its successor when it completes: ``.Route(node, cond)`` in order, the first
    true condition wins, a route without a condition is the default (``Switch.Case``/``Default``)."""

    activation_class = RoutedViewActivation

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._routes: list = []

    def OnTimeout(self, delay, then, interrupting: bool = True, title=None) -> "RoutedView":
        """The stock ``OnTimeout`` with ``ResponseTimer`` as the boundary node."""
        boundary = ResponseTimer(None, delay=delay, interrupting=interrupting).Next(then)
        if title is not None:
            boundary.Annotation(title=title)
        self._boundary_specs.append(("timeout", boundary))
        return self

    def Route(self, node, cond=None) -> "RoutedView":
        self._routes.append((node, cond))
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._routes = [(this.resolve(instance, node), this.resolve(instance, cond)) for node, cond in self._routes]

    def _outgoing(self):
        yield from super()._outgoing()
        for node, cond in self._routes:
            yield Edge(src=self, dst=node, edge_class="cond_true" if cond else "default")

    def next_node(self, activation):
        for node, cond in self._routes:
            if cond is None or cond(activation):
                return node
        raise FlowRuntimeError(f"No next task available for {self.name}")
