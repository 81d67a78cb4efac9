"""Who is asking: one proxy-aware client address for the login lockout, the audit origin and the comment
throttle; the lockout counted in a cache that every web process shares."""
import pytest
from django.core.cache.backends.db import DatabaseCache
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory
from workflows.http import client_address
from workflows.services.audit import request_origin

PROXY = "10.0.0.2"


@pytest.mark.parametrize("count, forwarded, expected", [
    (0, "6.6.6.6, 203.0.113.9", "127.0.0.1"),        # no trusted proxy: the header is never believed
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),      # the forged left-hand entry is ignored
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
    (2, "203.0.113.9", "127.0.0.1"),                 # shorter than the proxy chain: fall back
    (1, "", "127.0.0.1"),
])
def test_client_address_takes_the_nth_entry_from_the_right(settings, count, forwarded, expected):
    settings.PAMONG_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == expected


def test_audit_origin_records_the_client_behind_the_proxy(settings):
    settings.PAMONG_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post("/x/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR=PROXY)
    assert request_origin(request)["ip"] == "203.0.113.9"
    settings.PAMONG_TRUSTED_PROXY_COUNT = 0
    assert request_origin(request)["ip"] == PROXY


@pytest.fixture
def official(db):
    user = UserFactory(username="pejabat.t")
    user.set_password("rahasia-uji-123")
    user.save()
    return user


def _login(client, password, address):
    return client.post(reverse("login"), {"username": "pejabat.t", "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_failures_from_one_visitor_behind_the_proxy_do_not_lock_out_another(client, official, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PAMONG_TRUSTED_PROXY_COUNT = 1
    settings.PAMONG_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert _login(client, "salah", "198.51.100.7").status_code == 200
    assert _login(client, "rahasia-uji-123", "198.51.100.7").status_code == 429  # the attacker is locked out
    assert _login(client, "rahasia-uji-123", "203.0.113.9").status_code == 302  # the official is not
    cache.clear()


@pytest.fixture
def db_cache(db, settings):
    """The production default: the database cache, its table created by ``migrate``'s post-migrate hook."""
    from workflows.apps import create_cache_tables

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "pamong_cache_t"}}
    create_cache_tables(sender=None, using="default")
    yield
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_login_lockout_holds_across_processes_sharing_the_database_cache(client, official, settings, db_cache,
                                                                         monkeypatch):
    """Two web processes are two cache clients over one table: failures counted by either add up."""
    import workflows.views

    settings.PAMONG_LOGIN_MAX_FAILURES = 4
    processes = [DatabaseCache("pamong_cache_t", {}), DatabaseCache("pamong_cache_t", {})]
    assert processes[0] is not processes[1]
    for attempt in range(4):
        monkeypatch.setattr(workflows.views, "cache", processes[attempt % 2])
        assert _login(client, "salah", "198.51.100.7").status_code == 200
    for process in processes:
        monkeypatch.setattr(workflows.views, "cache", process)
        assert _login(client, "rahasia-uji-123", "198.51.100.7").status_code == 429
