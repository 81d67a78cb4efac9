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


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts with an empty working-day cache (rows of a rolled-back test must not linger)."""
    from workflows import calendar

    calendar.clear_cache()
    yield
    calendar.clear_cache()
