"""Strict edges of the API: hostile bodies answer 400 (never 500), every error is in Indonesian, missing or bad
credentials answer 401 with WWW-Authenticate, and the schema lists every error status a path can return."""
import gettext
from pathlib import Path

import pytest
import rest_framework
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/repair-requests/"


@pytest.fixture
def client():
    c = APIClient()
    c.force_authenticate(UserFactory())
    return c


def _post_raw(client, body: str):
    return client.generic("POST", URL, body, content_type="application/json")


@pytest.mark.parametrize("depth", [40, 5_000, 200_000])
def test_deeply_nested_json_is_a_400_in_indonesian(client, depth):
    response = _post_raw(client, "[" * depth + "]" * depth)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert "bersarang terlalu dalam" in body["detail"]


def test_nested_object_bodies_too(client):
    depth = 3_000
    response = _post_raw(client, '{"a":' * depth + "1" + "}" * depth)
    assert response.status_code == 400 and "bersarang terlalu dalam" in response.json()["detail"]


def test_malformed_json_is_explained_in_indonesian(client):
    response = _post_raw(client, '{"asset": ')
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Isi permintaan bukan JSON yang sah (baris 1, kolom")
    assert "JSON parse error" not in response.content.decode()
    response = _post_raw(client, '{"amount": NaN}')
    assert response.status_code == 400 and "bukan JSON yang sah" in response.json()["detail"]


def test_validation_messages_of_drf_are_in_indonesian(client):
    response = client.post(URL, [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Data tidak sah: yang diharapkan objek JSON, yang diterima list."
    response = client.post(URL, {"asset": ["x"], "problem": "p", "amount": "1", "envelope": 1, "category": "hardware"},
                           format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Harus berupa teks."


def test_missing_credentials_answer_401_with_www_authenticate():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"code": "not_authenticated", "detail": "Data autentikasi tidak diberikan.",
                               "field": None}


def test_a_bad_token_answers_401_in_indonesian():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Token tidak sah."
    client.credentials(HTTP_AUTHORIZATION="Token a b")
    assert client.get(URL).json()["detail"] == "Header token tidak sah: token tidak boleh berisi spasi."


def test_a_good_token_still_works():
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=user).key)
    assert client.get(URL).status_code == 200


# Words that are the same in Indonesian.
SAME_IN_INDONESIAN = {"Token", "Tokens"}


def test_every_message_of_the_pinned_drf_has_an_indonesian_translation():
    """DRF's own ``id`` catalogue translates about a third of its messages; ``locale/drf`` supplies the rest.
    A DRF upgrade that adds messages fails here until they are translated."""
    english = Path(rest_framework.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"
    with english.open("rb") as fh:
        msgids = [key for key in gettext.GNUTranslations(fh)._catalog if isinstance(key, str) and key]
    assert len(msgids) > 100
    with translation.override("id"):
        untranslated = [m for m in msgids if translation.gettext(m) == m and m not in SAME_IN_INDONESIAN]
    assert not untranslated


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def _requests_for(path: str, method: str, operation: dict, ids: list[int]):
    """Hostile and careless requests for one operation: (label, path, body or None, query)."""
    out = []
    for pk in ids:
        concrete = path.replace("{id}", str(pk))
        out.append((f"id={pk}", concrete, None, {}))
        query_names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        if query_names:
            out.append(("junk query", concrete, None, {name: "zz'\"<>" for name in query_names}))
        if "page" in query_names:
            out.append(("page past the end", concrete, None, {"page": "999"}))
        if method == "post":
            out += [("malformed", concrete, "{", {}), ("nested", concrete, "[" * 10_000 + "]" * 10_000, {}),
                    ("empty", concrete, "{}", {}), ("wrong types", concrete, '{"reason": ["x"], "amount": {}}', {})]
    return out


def test_every_error_status_an_api_path_returns_is_in_the_schema(schema, repair_world):
    """Call every operation anonymously, with a bad token, as an outsider, with missing ids, junk queries and bad
    bodies: each answer's status is one the schema declares for that operation (and none is a 5xx)."""
    from tests.budget_requests.support import new_request

    w = repair_world
    own = new_request(w, amount=1_000_000)                          # Babakan: lurah.babakan sees it
    foreign = new_request(w, amount=1_000_000, unit=w.pondok_benda)  # outside lurah.babakan's scope
    ids = [own.pk, foreign.pk, 999_999]
    anonymous, bad_token, official = APIClient(), APIClient(), APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token nope")
    official.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=w.lurah_babakan).key)
    undeclared, seen = [], set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            for who, client in (("anonymous", anonymous), ("bad token", bad_token), ("lurah", official)):
                for label, url, body, query in _requests_for(path, method, operation, ids):
                    if query:
                        url = url + "?" + "&".join(f"{k}={v}" for k, v in query.items())
                    response = client.generic(method.upper(), url, body or "", content_type="application/json")
                    status = str(response.status_code)
                    seen.add(status)
                    if status not in declared or response.status_code >= 500:
                        undeclared.append(f"{method.upper()} {path} [{who}, {label}] -> {status}")
    assert not undeclared, "\n".join(undeclared)
    assert {"200", "400", "401", "404"} <= seen
