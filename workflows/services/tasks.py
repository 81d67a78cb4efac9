"""Taking a human task: the one write behind "open the task" in the inbox and the queue."""
from __future__ import annotations

from viewflow.workflow.status import STATUS

from ..models import User
from ..policy import require_may_take_task


def task_take(*, actor: User, task) -> bool:
    """Assign the open task to ``actor`` when they may take it (``workflows.policy``); True when assigned now.

    Raises ``Denied`` when the task is addressed to a position ``actor`` does not hold or act for today, or
    was taken by someone else. Runs under the flow's process lock, on the task row read again inside it: two
    people opening the same queue entry at once give one owner and one refusal.
    """
    if task.status == STATUS.ASSIGNED:
        require_may_take_task(actor, task)  # already theirs: None; someone else's: Denied
    if task.status != STATUS.NEW:
        return False  # assigned to the actor, or finished: nothing to take
    with task.activation() as activation:  # flow lock + refresh_from_db
        current = activation.task
        if current.status == STATUS.ASSIGNED:
            require_may_take_task(actor, current)
        if current.status != STATUS.NEW:
            return False
        require_may_take_task(actor, current)
        activation.assign(actor)
    return True
