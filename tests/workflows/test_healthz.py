import pytest

pytestmark = pytest.mark.django_db


def test_healthz_ok_with_filesystem_broker(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    (tmp_path / "queue").mkdir()
    (tmp_path / "processed").mkdir()
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["status"] == "ok"
    assert body["broker_transport"] == "filesystem"
    assert body["worker_last_heartbeat"] is None


def test_healthz_reports_the_last_worker_heartbeat(client):
    from workflows.tasks import heartbeat

    heartbeat("healthz-test")  # eager in tests: writes the row like a worker would
    body = client.get("/healthz").json()
    assert body["worker_last_heartbeat"] is not None


def test_healthz_is_public(client):
    # A logged-out monitor must get JSON, not a redirect to the login page.
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"


def test_healthz_503_when_redis_broker_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"] == "error"
    assert body["database"] == "ok"
    assert body["status"] == "error"


def test_healthz_503_when_filesystem_broker_folder_missing(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing-queue"),
        "data_folder_out": str(tmp_path / "missing-queue"),
        "processed_folder": str(tmp_path),
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_healthz_503_when_database_fails(client, monkeypatch):
    from workflows import views

    monkeypatch.setattr(views, "_check_database", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.services
def test_healthz_ok_with_real_redis(client, settings):
    import os

    url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    if not url.startswith("redis://"):
        url = "redis://127.0.0.1:6379/0"
    settings.CELERY_BROKER_URL = url
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["broker"] == "ok"
