"""Indonesian by default, English available: our msgids (Indonesian) through locale/en, viewflow's and
django-filter's (English) through locale/id, and viewflow's hard-coded labels through overridden templates."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.status import STATUS

from tests.factories import AssignmentFactory, PositionFactory, UserFactory
from workflows.models import PositionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def lurah():
    position = PositionFactory(code="lurah-i18n", title="Lurah Babakan", kind=PositionKind.LURAH)
    user = UserFactory(username="lurah.i18n", first_name="Siti", last_name="Aminah")
    AssignmentFactory(position=position, user=user, starts_on=dt.date(2026, 1, 1))
    user.position = position
    return user


def test_login_page_in_indonesian_by_default(client):
    html = client.get(reverse("login")).content.decode()
    assert "Masuk ke akun Anda" in html
    assert '<html lang="id"' in html


def test_login_page_in_english_for_accept_language_en(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Log in to your account" in html
    assert "Masuk ke akun Anda" not in html


def test_login_page_in_indonesian_for_accept_language_id(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9").content.decode()
    assert "Masuk ke akun Anda" in html


def test_viewflow_strings_are_translated_to_indonesian(client, lurah):
    client.force_login(lurah)
    html = client.get(reverse("workflow:inbox")).content.decode()
    assert "Kotak Masuk" in html
    assert "Antrean" in html
    assert "Arsip" in html
    assert ">Inbox<" not in html


def test_switching_language_to_english_and_back(client, lurah):
    client.force_login(lurah)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Welcome, Siti Aminah" in html
    assert "Your positions today" in html
    assert "Inbox" in html and "Kotak Masuk" not in html

    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    html = client.get("/").content.decode()
    assert "Selamat datang, Siti Aminah" in html
    assert "Kotak Masuk" in html


@pytest.mark.parametrize(
    "language, labels",
    [
        ("id", ["Ringkasan", "Pelaksana", "Hak akses", "Dibuat", "Diambil", "Selesai", "Belum diambil"]),
        ("en", ['label="Brief"', 'label="Owner"', 'label="Permission"', 'label="Created"', "Unassigned"]),
    ],
)
def test_task_page_labels_are_translated(client, settings, lurah, language, labels):
    settings.PAMONG_FLOWS = [*settings.PAMONG_FLOWS, "workflows.testing.flows.ShellProbeFlow"]
    settings.ROOT_URLCONF = "tests.workflows.probe_urls"
    from workflows.site import ensure_urls_loaded
    from workflows.testing.flows import ShellProbeFlow

    ensure_urls_loaded()
    process = ShellProbeFlow.start.run(subject="Kamera CCTV mati", permission=lurah.position.permission_name)
    task = process.task_set.get(status=STATUS.NEW)
    client.force_login(lurah)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(task.flow_task.reverse("detail", args=[process.pk, task.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for label in labels:
        assert label in html


def test_catalogues_cover_filters_and_status():
    with translation.override("id"):
        assert translation.gettext("Today") == "Hari ini"  # django-filter
        assert translation.pgettext("STATUS", "Done") == "Selesai"  # viewflow task status
    with translation.override("en"):
        assert translation.gettext("Tugas yang sudah selesai") == "Completed tasks"
        assert translation.gettext("Anda tidak sedang menjabat atau bertindak sebagai %(position)s.") == (
            "You do not hold or act for %(position)s now."
        )


def test_numbers_use_indonesian_separators():
    from django.utils import formats

    with translation.override("id"):
        assert formats.number_format(1500000, use_l10n=True, force_grouping=True) == "1.500.000"


def test_process_cancel_page_is_translated(client, settings, lurah):
    settings.PAMONG_FLOWS = [*settings.PAMONG_FLOWS, "workflows.testing.flows.ShellProbeFlow"]
    settings.ROOT_URLCONF = "tests.workflows.probe_urls"
    from workflows.site import ensure_urls_loaded
    from workflows.testing.flows import ShellProbeFlow

    ensure_urls_loaded()
    process = ShellProbeFlow.start.run(subject="Server kelurahan mati", permission=lurah.position.permission_name)
    admin = UserFactory(username="admin.i18n", is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get(f"/workflow/flows/shellprobe/{process.pk}/cancel/").content.decode()
    assert "1 tugas aktif" in html
    assert "Belum diambil" in html
    assert "tasks active" not in html


def test_process_page_shows_times_in_wib_and_labels_cells(client, settings, lurah):
    settings.PAMONG_FLOWS = [*settings.PAMONG_FLOWS, "workflows.testing.flows.ShellProbeFlow"]
    settings.ROOT_URLCONF = "tests.workflows.probe_urls"
    from workflows.site import ensure_urls_loaded
    from workflows.testing.flows import ShellProbeFlow

    ensure_urls_loaded()
    process = ShellProbeFlow.start.run(subject="Printer rusak", permission=lurah.position.permission_name)
    client.force_login(lurah)
    html = client.get(f"/workflow/flows/shellprobe/{process.pk}/").content.decode()
    assert " WIB</td>" in html
    assert 'data-label="Pelaksana"' in html
    assert ">Batal<" not in html  # cancelling needs the manage permission
    admin = UserFactory(username="admin.proc", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert ">Batal<" in client.get(f"/workflow/flows/shellprobe/{process.pk}/").content.decode()


# What xgettext extracts from Python: its own default keywords plus those Django's makemessages adds.
XGETTEXT_PYTHON_KEYWORDS = {
    "_", "gettext", "ugettext", "dgettext", "dcgettext", "ngettext", "ungettext", "dngettext", "dcngettext",
    "gettext_noop", "gettext_lazy", "ngettext_lazy", "pgettext", "npgettext", "pgettext_lazy", "npgettext_lazy",
}


def test_makemessages_extracts_every_gettext_alias_the_project_uses():
    """A string marked with an alias xgettext does not know (e.g. ``gettext_lazy as _l``) never reaches the
    catalogue: it stays Indonesian in the English interface although it looks marked."""
    import ast
    from pathlib import Path

    from django.conf import settings as django_settings
    from django.core.management import get_commands, load_command_class

    app = get_commands()["makemessages"]
    assert app == "workflows"
    options = load_command_class(app, "makemessages").xgettext_options
    known = XGETTEXT_PYTHON_KEYWORDS | {o.removeprefix("--keyword=").split(":")[0] for o in options
                                        if o.startswith("--keyword=")}
    root = Path(django_settings.BASE_DIR)
    unknown = set()
    for path in root.rglob("*.py"):
        if any(part in {".venv", "var", "node_modules"} for part in path.relative_to(root).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                unknown |= {f"{path.relative_to(root)}: {a.asname}" for a in node.names
                            if a.asname and a.asname not in known and "gettext" in a.name}
    assert not unknown, f"add these aliases to workflows/management/commands/makemessages.py: {sorted(unknown)}"


def test_lazy_alias_strings_are_in_the_english_catalogue():
    from perda.views.imports import ImportForm

    with translation.override("en"):
        assert str(ImportForm.base_fields["text"].label) == "Regulation text (copy from the PDF)"
