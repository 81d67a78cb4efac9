"""The app shell: login redirect, login/logout, home page per role, site-wide inbox over PAMONG_FLOWS."""
import datetime as dt

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.factories import AssignmentFactory, OrgUnitFactory, PositionFactory, UserFactory
from workflows.acting import local_date
from workflows.models import Capacity, OrgUnitKind, PositionKind

pytestmark = pytest.mark.django_db

PROBE_FLOW = "workflows.testing.flows.ShellProbeFlow"


@pytest.fixture
def babakan():
    setu = OrgUnitFactory(code="kec-setu-t", name="Setu", kind=OrgUnitKind.KECAMATAN)
    return OrgUnitFactory(code="kel-babakan-t", name="Babakan", kind=OrgUnitKind.KELURAHAN, parent=setu)


@pytest.fixture
def lurah(babakan):
    position = PositionFactory(code="lurah-babakan-t", title="Lurah Babakan", kind=PositionKind.LURAH, org_unit=babakan)
    user = UserFactory(username="lurah.t", first_name="Siti", last_name="Aminah")
    AssignmentFactory(position=position, user=user, starts_on=dt.date(2026, 1, 1))
    user.position = position
    return user


@pytest.fixture
def plh_camat(babakan):
    """A sekcam acting as Plh. Camat Setu today while the camat is on leave."""
    camat = PositionFactory(code="camat-setu-t", title="Camat Setu", kind=PositionKind.CAMAT, org_unit=babakan.parent)
    AssignmentFactory(position=camat, user=UserFactory(username="camat.t"), starts_on=dt.date(2026, 1, 1))
    sekcam = UserFactory(username="sekcam.t", first_name="Budi", last_name="Santoso")
    today = local_date()
    AssignmentFactory(position=camat, user=sekcam, capacity=Capacity.PLH, starts_on=today,
                      ends_on=today + dt.timedelta(days=2))
    sekcam.position = camat
    return sekcam


@pytest.fixture
def probe_site(settings):
    """The site rebuilt with a tiny test-only flow appended to PAMONG_FLOWS."""
    settings.PAMONG_FLOWS = [*settings.PAMONG_FLOWS, PROBE_FLOW]
    settings.ROOT_URLCONF = "tests.workflows.probe_urls"
    from workflows.site import ensure_urls_loaded
    from workflows.testing.flows import ShellProbeFlow

    ensure_urls_loaded()
    return ShellProbeFlow


def start_probe(flow_class, position, subject):
    return flow_class.start.run(subject=subject, permission=position.permission_name)


# --- logged-out visitors -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/workflow/inbox/", "/workflow/queue/", "/workflow/archive/"])
def test_logged_out_visitor_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_public_prefix_is_not_redirected(client):
    assert client.get("/publik/tidak-ada/").status_code == 404


def test_login_page_names_product_and_city(client, settings):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pamong" in html
    assert "Kota Tangerang Selatan" in html
    assert 'name="language" value="en"' in html  # the language switch is on the login page too


def test_login_lands_on_home_and_logout_needs_post(client, lurah):
    response = client.post(reverse("login"), {"username": "lurah.t", "password": "rahasia-uji"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home") == "/"
    assert client.get("/").status_code == 200

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_wrong_password_shows_indonesian_error(client, lurah):
    response = client.post(reverse("login"), {"username": "lurah.t", "password": "salah"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nama pengguna atau kata sandi salah" in body
    assert "nama pengguna nama pengguna" not in body.lower()


# --- home page -----------------------------------------------------------------------------------------

def test_home_shows_position_and_top_bar(client, lurah):
    client.force_login(lurah)
    html = client.get("/").content.decode()
    assert "Lurah Babakan" in html
    assert "Siti Aminah" in html
    assert 'action="/accounts/logout/"' in html and 'method="post"' in html
    assert 'action="/i18n/setlang/"' in html
    assert reverse("notifications") in html


def test_home_shows_plh_capacity(client, plh_camat):
    client.force_login(plh_camat)
    html = client.get("/").content.decode()
    assert "Plh. Camat Setu" in html


def test_home_without_positions(client):
    client.force_login(UserFactory(username="tanpa.jabatan"))
    html = client.get("/").content.decode()
    assert "tidak memegang atau mewakili jabatan" in html


def test_home_links_filtered_by_kind_and_missing_urls_skipped(client, settings, lurah):
    settings.PAMONG_HOME_LINKS = [
        {"kinds": ["lurah"], "label": "Tautan untuk lurah", "url_name": "workflow:queue"},
        {"kinds": ["camat"], "label": "Tautan untuk camat", "url_name": "workflow:inbox"},
        {"kinds": "*", "label": "Tautan yang belum ada", "url_name": "halaman_yang_belum_ada"},
        {"kinds": "*", "label": "Tautan semua", "url_name": "workflow:archive"},
    ]
    client.force_login(lurah)
    html = client.get("/").content.decode()
    assert "Tautan untuk lurah" in html
    assert "Tautan semua" in html
    assert "Tautan untuk camat" not in html
    assert "Tautan yang belum ada" not in html


# --- the site with no flows and with a flow added ---------------------------------------------------------

@pytest.mark.parametrize("name", ["workflow:inbox", "workflow:queue", "workflow:archive"])
def test_task_lists_work_with_empty_flow_list(client, settings, lurah, name):
    assert settings.PAMONG_FLOWS == [] or all(isinstance(p, str) for p in settings.PAMONG_FLOWS)
    client.force_login(lurah)
    assert client.get(reverse(name)).status_code == 200


def test_added_flow_shows_in_queue_inbox_and_home(client, probe_site, lurah):
    process = start_probe(probe_site, lurah.position, "Printer rusak di Kantor Kelurahan Babakan")
    task = process.task_set.get(status=STATUS.NEW)
    client.force_login(lurah)

    home = client.get("/").content.decode()
    assert "Printer rusak di Kantor Kelurahan Babakan" in home  # the entry says what it is about
    assert "Tinjau usulan" in home
    assert 'data-count="queue">1<' in home
    assert "Uji cangkang" in home  # the flow's menu entry

    queue = client.get(reverse("workflow:queue")).content.decode()
    assert "Printer rusak di Kantor Kelurahan Babakan" in queue

    with task.activation() as activation:
        activation.assign(lurah)
    home = client.get("/").content.decode()
    assert 'data-count="inbox">1<' in home
    assert 'data-count="queue">0<' in home
    inbox = client.get(reverse("workflow:inbox")).content.decode()
    assert reverse("task_open", args=[task.pk]) in inbox  # the entry opens the task's document
    assert f"#{process.pk}/{task.pk}" not in inbox  # no internal ids


def test_task_for_another_position_is_not_in_my_queue(client, probe_site, lurah, babakan):
    other = PositionFactory(code="lurah-lain-t", title="Lurah Lain", kind=PositionKind.LURAH, org_unit=babakan)
    start_probe(probe_site, other, "Bukan urusan Babakan")
    client.force_login(lurah)
    home = client.get("/").content.decode()
    assert "Bukan urusan Babakan" not in home
    assert 'data-count="queue">0<' in home


def _fill(flow_class, position, user, n):
    for i in range(n):
        process = start_probe(flow_class, position, f"Usulan nomor {i}")
        if i % 2:
            task = process.task_set.get(status=STATUS.NEW)
            with task.activation() as activation:
                activation.assign(user)


def _home_queries(client, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_home_query_count_does_not_grow_with_tasks(client, probe_site, lurah, django_assert_max_num_queries):
    """Same number of queries with 2 and with 40 tasks (only the first 5 of each list are rendered)."""
    client.force_login(lurah)
    _fill(probe_site, lurah.position, lurah, 2)
    small, html = _home_queries(client, django_assert_max_num_queries, 16)
    assert html.count('class="pamong-entry__about"') == 2
    _fill(probe_site, lurah.position, lurah, 38)
    assert Task.objects.filter(flow_task_type="HUMAN").count() == 40
    large, html = _home_queries(client, django_assert_max_num_queries, 16)
    assert html.count('class="pamong-entry__about"') == 10  # 5 inbox + 5 queue entries
    assert 'data-count="inbox">20<' in html and 'data-count="queue">20<' in html
    assert small == large


def test_task_link_opens_the_task(client, probe_site, lurah):
    process = start_probe(probe_site, lurah.position, "Wi-Fi publik Taman Babakan mati")
    task = process.task_set.get(status=STATUS.NEW)
    client.force_login(lurah)
    url = reverse("task_open", args=[task.pk])
    assert url in client.get("/").content.decode()
    response = client.get(url)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner_id == lurah.pk  # taken on the way (the lurah acts for the task's position)
    # a flow without a document page falls back to viewflow's task page
    assert response["Location"] == f"/workflow/flows/shellprobe/{process.pk}/review/{task.pk}/"
    assert client.get(response["Location"], follow=True).status_code == 200


def test_flow_namespaces_stay_distinct_when_the_site_is_built_again(settings):
    from workflows.site import build_site

    settings.PAMONG_FLOWS = [*settings.PAMONG_FLOWS, PROBE_FLOW]
    names = []
    for _ in range(2):
        app = build_site().viewsets[0]
        flows_app = app.viewsets[0]
        names.append([viewset.app_name for viewset in flows_app.viewsets])
    assert names[0] == names[1]
    assert len(set(names[0])) == len(names[0])
    assert "shellprobe" in names[0]


@pytest.fixture
def clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_login_is_throttled_after_repeated_failures(client, lurah, settings, clean_cache):
    settings.PAMONG_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert client.post(reverse("login"), {"username": "lurah.t", "password": "salah"}).status_code == 200
    response = client.post(reverse("login"), {"username": "lurah.t", "password": "rahasia-uji"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in html
    assert 'value="lurah.t"' in html  # what the user typed is kept
    assert client.get("/").status_code == 302  # still logged out
    # Another account from the same address is not locked out.
    UserFactory(username="lain.t")
    assert client.post(reverse("login"), {"username": "lain.t", "password": "rahasia-uji"}).status_code == 302


def test_successful_login_resets_the_failure_count(client, lurah, settings, clean_cache):
    settings.PAMONG_LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        client.post(reverse("login"), {"username": "lurah.t", "password": "salah"})
    assert client.post(reverse("login"), {"username": "lurah.t", "password": "rahasia-uji"}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        client.post(reverse("login"), {"username": "lurah.t", "password": "salah"})
    assert client.post(reverse("login"), {"username": "lurah.t", "password": "rahasia-uji"}).status_code == 302


def test_home_tells_the_holder_who_acts_for_them_today(client, plh_camat):
    from workflows.models import User

    camat = User.objects.get(username="camat.t")
    client.force_login(camat)
    html = client.get("/").content.decode()
    assert "hari ini diwakili oleh" in html
    assert "Plh. Camat Setu (Budi Santoso)" in html
    assert "tidak memegang atau mewakili jabatan" not in html


def test_password_change_page_is_reachable_from_the_menu(client, lurah):
    client.force_login(lurah)
    html = client.get("/").content.decode()
    assert 'href="/accounts/password_change/"' in html
    assert "Ubah kata sandi" in html
    response = client.get("/accounts/password_change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sandi lama" in html  # Django's own Indonesian catalogue
    assert "Simpan kata sandi baru" in html
    assert "pamong-menu" in html  # the Pamong layout, not the Django admin's
    assert "&lt;li&gt;" not in html and "<li>Kata sandi" not in html  # help text as plain sentences
    response = client.post("/accounts/password_change/", {
        "old_password": "rahasia-uji", "new_password1": "Babakan-baru-2026", "new_password2": "Babakan-baru-2026",
    })
    assert response.status_code == 302
    assert "sudah diubah" in client.get(response["Location"]).content.decode()


def test_password_reset_is_public_and_sends_mail(client, lurah, mailoutbox):
    lurah.email = "lurah@example.test"
    lurah.save()
    response = client.get("/accounts/password_reset/")
    assert response.status_code == 200
    assert "Lupa kata sandi" in response.content.decode()
    response = client.post("/accounts/password_reset/", {"email": "lurah@example.test"})
    assert response.status_code == 302
    assert "Periksa surel Anda" in client.get(response["Location"]).content.decode()
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body
    import re

    link = re.search(r"(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    html = response.content.decode()
    assert "Tetapkan kata sandi baru" in html and 'name="new_password1"' in html


def test_public_pages_have_the_language_switch_and_a_login_link(client):
    from django.template import engines
    from django.test import RequestFactory
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/publik/contoh/")
    request.user = AnonymousUser()
    html = engines["django"].from_string(
        '{% extends "pamong/base.html" %}{% block content %}<p>Halaman publik</p>{% endblock %}'
    ).render({}, request)
    assert "Halaman publik" in html
    assert 'name="language" value="en"' in html
    assert "/accounts/login/" in html
    assert "<vf-page-menu-navigation" not in html  # no staff menu for residents
