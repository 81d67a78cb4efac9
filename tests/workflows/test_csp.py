"""A Content-Security-Policy on every response (django-csp): scripts and styles only from our own static
files, so no template of ours may carry an inline script, an inline event handler, a javascript: link, a
<style> element or a style="..." attribute (the PDF-only templates below excepted: WeasyPrint renders them,
no browser does). The crawl in test_crawl.py checks the rendered pages, viewflow's and drf-spectacular's
included; the browser tests fail on any violation the browser reports. Only Redoc and viewflow's SVG flow
charts keep 'unsafe-inline' for styles (workflows/csp.py)."""
import re
from pathlib import Path

import pytest

from tests.workflows.test_crawl import inline_code, inline_style

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


def _strict_style_src(policy) -> bool:
    """style-src is 'self', plus at most the response's nonce."""
    style_src = policy["style-src"]
    return style_src[0] == "'self'" and all(v.startswith("'nonce-") for v in style_src[1:])


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password_reset/", "/publik/konsultasi/",
                                 "/publik/jdih/", "/api/docs/", "staff:/", "staff:/workflow/inbox/",
                                 "staff:/workflow/queue/", "staff:/workflow/archive/", "staff:/workflow/flows/repair/",
                                 "staff:/workflow/flows/repair/flows/", "staff:/workflow/flows/repair/tasks/",
                                 "staff:/notifikasi/", "staff:/accounts/password_change/"])
def test_public_staff_and_viewflow_pages_allow_no_inline_style(client, admin_client, url):
    browser = admin_client if url.startswith("staff:") else client
    response = browser.get(url.removeprefix("staff:"))
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["style-src"] and _strict_style_src(policy), policy["style-src"]
    assert not inline_style(response.content.decode())


@pytest.mark.django_db
def test_the_shell_hands_turbo_the_nonce_of_its_own_policy(admin_client):
    """Turbo Drive inserts the <style> of its progress bar as soon as its script runs, with the nonce of a
    <meta name="csp-nonce"> that must therefore come before that script and match the header's nonce."""
    response = admin_client.get("/workflow/inbox/")
    html = response.content.decode()
    nonce = re.search(r'<meta name="csp-nonce" content="([^"]+)">', html).group(1)
    assert f"'nonce-{nonce}'" in _policy(response)["style-src"]
    assert html.index('name="csp-nonce"') < html.index("turbo.es2017-umd.js")


@pytest.mark.django_db
def test_only_redoc_and_the_svg_flow_chart_keep_inline_styles(client, admin_client):
    redoc = client.get("/api/redoc/")
    assert redoc.status_code == 200
    assert _policy(redoc)["style-src"] == ["'self'", "'unsafe-inline'"]
    chart = admin_client.get("/workflow/flows/repair/chart/")
    assert chart.status_code == 200 and chart["Content-Type"].startswith("image/svg+xml")
    assert _policy(chart)["style-src"] == ["'self'", "'unsafe-inline'"]
    page = admin_client.get("/workflow/flows/repair/")
    assert "'unsafe-inline'" not in _policy(page)["style-src"]


def test_the_theme_colours_of_the_site_are_in_the_static_stylesheet():
    """viewflow's inline theme <style> is left out (templates/viewflow/base.html): theme.css carries the
    site's colours instead, and must keep carrying the same ones."""
    from workflows.site import build_site

    site = build_site()
    css = (REPO / "static" / "pamong" / "theme.css").read_text()
    assert f"--mdc-theme-primary: {site.primary_color};" in css
    assert f"--mdc-theme-secondary: {site.secondary_color};" in css


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


# Rendered by WeasyPrint into PDF files only, never served to a browser: their inline styles stay.
PDF_ONLY_TEMPLATES = {
    "budget_requests/templates/budget_requests/_pdf_head.html",
    "budget_requests/templates/budget_requests/finance/report_pdf.html",
    "budget_requests/templates/budget_requests/pdf_decision.html",
    "budget_requests/templates/budget_requests/pdf_forwarding.html",
    "budget_requests/templates/budget_requests/pdf_spp.html",
    "perda/templates/perda/consultation_report_pdf.html",
}


def test_no_template_of_ours_has_inline_style():
    templates = [p for folder in ("templates", "workflows", "perda", "budget_requests")
                 for p in (REPO / folder).rglob("*.html") if "templates" in p.parts]
    assert len(templates) > 50
    names = {str(path.relative_to(REPO)) for path in templates}
    assert PDF_ONLY_TEMPLATES <= names, PDF_ONLY_TEMPLATES - names
    offending, pdf_with_styles = {}, set()
    for path in templates:
        text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", "", path.read_text(), flags=re.S)
        found = inline_style(text)
        name = str(path.relative_to(REPO))
        if found and name in PDF_ONLY_TEMPLATES:
            pdf_with_styles.add(name)
        elif found:
            offending[name] = found
    assert not offending, offending
    assert pdf_with_styles == PDF_ONLY_TEMPLATES  # a template that lost its styles leaves the list
