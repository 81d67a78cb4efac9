"""A formation stage's task appears by its Indonesian title on the queue, the home page, viewflow's task page and
in the notification to the position it waits for; the notification is settled when the stage moves on."""
from __future__ import annotations

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from perda.models import Formation
from perda.services.formation import formation_start
from tests.factories import UserFactory
from workflows.models import Notification

from .formation_support import make_draft, people  # noqa: F401

pytestmark = pytest.mark.django_db

FIRST = "Mulai penyusunan (Propemperda)"
SECOND = "Susun dan ajukan rancangan"


def test_stage_task_is_shown_and_announced_by_its_title(client, people):
    reg = make_draft(people, title="Kota Cerdas Berkelanjutan")
    formation = formation_start(regulation=reg, actor=people.pemrakarsa)
    task = formation.process.task_set.get(status=STATUS.NEW, flow_task_type="HUMAN")

    client.force_login(people.kabag)
    for url in (reverse("workflow:queue"), "/"):
        html = client.get(url).content.decode()
        assert FIRST in html, url
        assert "Perencanaan<" not in html  # the node's name, title-cased by viewflow

    notice = Notification.objects.get(recipient=people.kabag, asks_action=True)
    assert notice.subject == f"Tugas baru: {FIRST}"
    assert "Kota Cerdas Berkelanjutan" in notice.body and FIRST in notice.body

    admin = UserFactory(username="admin.judul", is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get(task.flow_task.reverse("detail", args=[task.process_id, task.pk])).content.decode()
    assert FIRST in html
    html = client.get(f"/workflow/flows/formation/{task.process_id}/").content.decode()
    assert FIRST in html

    client.force_login(people.kabag)
    assert client.post(reverse("perda:formation_action", args=[reg.pk, "mulai-penyusunan"])).status_code == 302
    assert Formation.objects.get(pk=formation.pk).stage == "penyusunan"
    notice.refresh_from_db()
    assert notice.done_at is not None
    told = Notification.objects.get(recipient=people.pemrakarsa, asks_action=True, done_at__isnull=True)
    assert told.subject == f"Tugas baru: {SECOND}"
