"""One click from the inbox or the queue to the request's page with its decision form (the task is taken on the
way through the policy check), and the route in words."""
import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from budget_requests.models import RepairRequest
from budget_requests.templatetags.budget import route_words
from tests.budget_requests.support import new_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


def open_task(r):
    process_id = RepairRequest.objects.get(pk=r.pk).process_id
    return Task.objects.get(process_id=process_id, status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN")


def test_queue_entry_takes_the_task_and_opens_the_request_page(client, repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000)
    task = open_task(r)
    client.force_login(w.lurah_babakan)
    home = client.get("/").content.decode()
    url = reverse("task_open", args=[task.pk])
    assert f'href="{url}"' in home and f"#{task.process_id}/{task.pk}" not in home
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("budget_requests:request_detail", args=[r.pk])
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner_id == w.lurah_babakan.pk
    page = client.get(response["Location"]).content.decode()
    assert 'data-action="approve"' in page and "data-decision-jump" in page and 'id="tindakan"' in page


def test_someone_who_may_not_take_the_task_is_not_assigned(client, repair_world):
    """A lurah of another kelurahan (not acting for the task's position) opens the link: nothing is assigned."""
    w = repair_world
    r = new_request(w, amount=1_000_000)
    task = open_task(r)
    client.force_login(w.lurah_pb)
    response = client.get(reverse("task_open", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner_id is None
    # the request page itself stays scoped: outside the lurah's kelurahan it is not found
    assert client.get(response["Location"]).status_code == 404


def test_a_task_taken_by_someone_else_stays_theirs(client, repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000)
    task = open_task(r)
    client.force_login(w.lurah_babakan)
    client.get(reverse("task_open", args=[task.pk]))
    client.force_login(w.kepala_bpkad)  # city-wide: may see the request, may not take the lurah's task
    response = client.get(reverse("task_open", args=[task.pk]), follow=True)
    task.refresh_from_db()
    assert task.owner_id == w.lurah_babakan.pk
    assert "sudah diambil orang lain" in response.content.decode()


def test_inbox_and_queue_lists_show_no_internal_ids_and_no_repeated_column(client, repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000)
    task = open_task(r)
    client.force_login(w.lurah_babakan)
    body = client.get(reverse("workflow:queue")).content.decode()
    assert reverse("task_open", args=[task.pk]) in body
    assert f"#{task.process_id}/{task.pk}" not in body
    assert body.count("Telaah dan putuskan") == 1


def test_route_in_words():
    route = [
        {"position_title": "Lurah Setu", "role": "decide", "max_single_amount": 5_000_000},
        {"position_title": "Camat Setu", "role": "forward", "max_single_amount": 50_000_000},
        {"position_title": "Kepala Diskominfo", "role": "verify", "max_single_amount": 200_000_000},
        {"position_title": "Kepala BPKAD", "role": "decide", "max_single_amount": 200_000_000},
    ]
    assert route_words(route[:2]) == "Lurah Setu → Camat Setu (di atas Rp5.000.000)"
    assert route_words(route) == ("Lurah Setu → Camat Setu (di atas Rp5.000.000) → Kepala Diskominfo (verifikasi "
                                  "teknis) → Kepala BPKAD (di atas Rp50.000.000)")
    assert route_words([]) == ""
