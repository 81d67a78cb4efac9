import pytest
from django.core.management import call_command


@pytest.fixture
def tangsel(db):
    """The Tangsel org tree with demo people, as ``seed_demo`` of the shared engine loads it."""
    from workflows.seed import seed_demo

    seed_demo()
    from workflows.models import OrgUnit

    return OrgUnit.objects.get(code="kota-tangsel")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Org data is loaded per test through fixtures; nothing global here yet.
    yield


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_truncate_trigger():
    """On PostgreSQL the audit table refuses TRUNCATE (a trigger), and a transactional test ends with a flush
    that truncates every table. The flush runs in replica mode (``session_replication_role``, superuser only),
    in which ordinary triggers do not fire — the same power a database owner has to disable them."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return original(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts with an empty working-day cache (rows of a rolled-back test must not linger)."""
    from workflows import calendar

    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture(autouse=True)
def _migration_data_restored(request):
    """Transactional tests (``django_db(transaction=True)``, ``transactional_db``, ``live_server``) start with the
    rows the data migrations load (legal deadlines, cuti bersama), as every other test does.

    A transactional test ends by emptying every table, those rows included, so without this a later
    transactional test that relies on them passes alone and fails after another one. (Django's
    ``serialized_rollback`` is not used: it clashes with the content types that a plain flush re-creates.)
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    from workflows import calendar
    from workflows.models import LegalDeadline

    if not LegalDeadline.objects.exists():
        importlib.import_module("workflows.migrations.0006_calendar_data").load(apps, None)
        importlib.import_module("workflows.migrations.0011_legal_deadline_readings_data").load(apps, None)
        importlib.import_module("budget_requests.migrations.0009_complaint_clocks").load(apps, None)
        calendar.clear_cache()


# --- budget_requests ----------------------------------------------------------------------------------------
@pytest.fixture
def delegation_matrix(tangsel):
    """The illustrative matrix for this year: lurah Rp5 jt; camat Rp50 jt (Plh/Plt up to 50%, endorses above);
    Kepala Diskominfo technical verification; Kepala BPKAD finance up to Rp200 jt. Dict of DelegationRule."""
    from tests.budget_requests.support import make_matrix

    return make_matrix()


@pytest.fixture
def repair_world(delegation_matrix):
    """Units, people, two envelopes (Kecamatan Setu and Pamulang, Rp500 jt each) and assets on top of the seed.
    See ``tests/budget_requests/support.py``."""
    from tests.budget_requests.support import make_world

    return make_world(delegation_matrix)
