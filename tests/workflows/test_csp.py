"""A Content-Security-Policy on every response (django-csp): scripts only from our own static files, so no
template of ours may carry an inline script, an inline event handler or a javascript: link. (The crawl in
test_crawl.py checks the rendered pages, viewflow's and drf-spectacular's included; the browser tests fail on
any violation the browser reports.)"""
import re
from pathlib import Path

import pytest

from tests.workflows.test_crawl import inline_code

REPO = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/publik/konsultasi/", "/api/docs/", "/api/redoc/"])
def test_every_page_carries_a_policy_without_inline_script(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert not inline_code(response.content.decode())


@pytest.mark.django_db
def test_the_swagger_ui_gets_its_start_script_from_a_url(client):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_no_template_of_ours_has_inline_code():
    templates = [p for folder in ("templates", "workflows", "perda", "budget_requests")
                 for p in (REPO / folder).rglob("*.html") if "templates" in p.parts]
    assert len(templates) > 50
    offending = {}
    for path in templates:
        text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", "", path.read_text(), flags=re.S)
        found = inline_code(text)
        if found:
            offending[str(path.relative_to(REPO))] = found
    assert not offending, offending
