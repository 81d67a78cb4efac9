"""A Content-Security-Policy on every response (django-csp): scripts only from our own static files, style
sheets and <style> elements only from them or with the response's nonce (style-src-elem, and style-src for
browsers without CSP Level 3), style attributes allowed (style-src-attr 'unsafe-inline': viewflow's stock
templates set them). No template of ours may carry an inline script, an inline event handler, a javascript:
link, a <style> element or a style="..." attribute (the PDF-only templates below excepted: WeasyPrint renders
them, no browser does). The crawl in test_crawl.py checks the rendered pages, viewflow's and drf-spectacular's
included; the browser tests fail on any violation the browser reports. Only Redoc and viewflow's SVG flow
charts keep 'unsafe-inline' for <style> elements (workflows/csp.py)."""
import re
from pathlib import Path

import pytest

from tests.workflows.test_crawl import (
    inline_code,
    inline_style,
    inline_style_attribute,
    rendered_by_our_template,
    style_attribute_not_from_third_party_templates,
)

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


def _strict(sources) -> bool:
    """'self', plus at most the response's nonce."""
    return sources[0] == "'self'" and all(v.startswith("'nonce-") for v in sources[1:])


OUR_PAGES = ["/accounts/login/", "/accounts/password_reset/", "/publik/konsultasi/", "/publik/jdih/", "staff:/",
             "staff:/notifikasi/", "staff:/accounts/password_change/", "staff:/keuangan/", "staff:/anggaran/pagu/"]
VIEWFLOW_PAGES = ["staff:/workflow/inbox/", "staff:/workflow/queue/", "staff:/workflow/archive/",
                  "staff:/workflow/flows/repair/", "staff:/workflow/flows/repair/flows/",
                  "staff:/workflow/flows/repair/tasks/"]


def _get(client, admin_client, url):
    browser = admin_client if url.startswith("staff:") else client
    return browser.get(url.removeprefix("staff:"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", OUR_PAGES + VIEWFLOW_PAGES + ["/api/docs/"])
def test_every_page_allows_style_elements_only_from_self_or_with_the_nonce(client, admin_client, url):
    """'unsafe-inline' only in style-src-attr: a <style> element without the nonce is blocked everywhere."""
    response = _get(client, admin_client, url)
    assert response.status_code == 200
    policy = _policy(response)
    for directive in ("style-src", "style-src-elem"):
        assert "'unsafe-inline'" not in policy[directive] and _strict(policy[directive]), policy[directive]
    assert policy["style-src-elem"] == policy["style-src"]  # the fallback says the same for older browsers
    assert policy["style-src-attr"] == ["'unsafe-inline'"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", OUR_PAGES)
def test_our_pages_carry_no_style_attribute_or_style_element(client, admin_client, url):
    response = _get(client, admin_client, url)
    assert response.status_code == 200
    assert rendered_by_our_template(response), response.templates[0].origin.name
    assert not inline_style(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("url", VIEWFLOW_PAGES)
def test_viewflow_pages_are_served_from_its_stock_templates_with_their_layout(client, admin_client, url):
    """No copy of a viewflow template in the repository: its workflow pages render from the package, with the
    style attributes that lay them out (its "start"/"list" button fixed at the bottom right)."""
    response = _get(client, admin_client, url)
    assert response.status_code == 200
    assert not rendered_by_our_template(response)
    assert "site-packages/viewflow/" in str(response.templates[0].origin.name)
    html = response.content.decode()
    assert inline_style_attribute(html)
    assert re.search(r'<div style="position: ?fixed;\s*right: 23px;\s*bottom: 23px', html), url


@pytest.mark.django_db
def test_the_crawl_tells_viewflows_style_attributes_from_ours(admin_client):
    """The crawl lets through the style attributes of viewflow's stock templates only: one added by us fails."""
    response = admin_client.get("/workflow/inbox/")
    html = response.content.decode()
    assert inline_style_attribute(html)
    assert style_attribute_not_from_third_party_templates(response, html) == ""
    ours = html.replace("</body>", '<p style="color: red">x</p></body>')
    assert style_attribute_not_from_third_party_templates(response, ours) == '<p style="color: red"'


def test_no_viewflow_template_is_copied_into_the_repository():
    """viewflow's workflow pages are served from the templates it ships; the ones once copied and edited here
    must not come back (templates/viewflow/ holds only templates that extend an original or override blocks)."""
    import viewflow

    stock = Path(viewflow.__file__).parent / "templates" / "viewflow" / "workflow"
    ours = REPO / "templates" / "viewflow" / "workflow"
    for name in ("process_dashboard.html", "process_data.html", "workflow_tasks_list.html", "task_list.html",
                 "process_list.html"):
        assert (stock / name).exists(), name
        assert not (ours / name).exists(), name


@pytest.mark.django_db
def test_the_shell_hands_turbo_the_nonce_of_its_own_policy(admin_client):
    """Turbo Drive inserts the <style> of its progress bar as soon as its script runs, with the nonce of a
    <meta name="csp-nonce"> that must therefore come before that script and match the header's nonce."""
    response = admin_client.get("/workflow/inbox/")
    html = response.content.decode()
    nonce = re.search(r'<meta name="csp-nonce" content="([^"]+)">', html).group(1)
    assert f"'nonce-{nonce}'" in _policy(response)["style-src"]
    assert f"'nonce-{nonce}'" in _policy(response)["style-src-elem"]
    assert html.index('name="csp-nonce"') < html.index("turbo.es2017-umd.js")


@pytest.mark.django_db
def test_only_redoc_and_the_svg_flow_chart_keep_inline_style_elements(client, admin_client):
    redoc = client.get("/api/redoc/")
    assert redoc.status_code == 200
    for directive in ("style-src", "style-src-elem"):
        assert _policy(redoc)[directive] == ["'self'", "'unsafe-inline'"]
    chart = admin_client.get("/workflow/flows/repair/chart/")
    assert chart.status_code == 200 and chart["Content-Type"].startswith("image/svg+xml")
    for directive in ("style-src", "style-src-elem"):
        assert _policy(chart)[directive] == ["'self'", "'unsafe-inline'"]
    page = admin_client.get("/workflow/flows/repair/")
    assert "'unsafe-inline'" not in _policy(page)["style-src"] + _policy(page)["style-src-elem"]


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
