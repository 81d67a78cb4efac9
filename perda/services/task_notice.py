"""Telling the position a formation stage now waits for, in the words of the flow's task title.

``FormationFlow`` addresses each stage's task to a position (its permission); when a task opens, whoever acts
for that position today is notified with the task's own title ("Catat hasil fasilitasi Gubernur"), never the
node's name. The notification asks for action and is settled when the stage moves on.
"""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from workflows.models import Position
from workflows.permissions import PREFIX
from workflows.services.notify import notifications_settle, notify_position

from ..models import Formation


def formation_task_settle(*, formation: Formation) -> int:
    """The stage's task has been done: its notifications stop asking for action."""
    return notifications_settle(obj=formation.regulation, note=_("%(reg)s — tahap sudah ditindaklanjuti") % {
        "reg": formation.regulation})


def formation_task_announce(*, formation: Formation) -> int:
    """Notify the position of the formation's open human task (if any). Returns how many were told."""
    if formation.process_id is None:
        return 0
    task = (
        formation.process.task_set.filter(status=STATUS.NEW, flow_task_type="HUMAN")
        .order_by("-pk").first()
    )
    if task is None or not (task.owner_permission or "").startswith(PREFIX):
        return 0
    position = Position.objects.filter(pk=task.owner_permission[len(PREFIX):]).first()
    if position is None:
        return 0
    title = str(task.title)
    regulation = formation.regulation
    rows = notify_position(
        position=position,
        subject=_("Tugas baru: %(task)s") % {"task": title},
        body=_("%(reg)s menunggu Anda: %(task)s.") % {"reg": regulation, "task": title},
        url=reverse("perda:formation_detail", args=[regulation.pk]),
        obj=regulation,
        asks_action=True,
    )
    return len(rows)
