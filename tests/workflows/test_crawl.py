"""No page answers 500 for a user allowed to see it, and none carries inline code or inline styles the
Content-Security-Policy would block: every URL pattern of the project, its ids filled from the
seeded demo data, is fetched (GET) as each demo role and anonymously; none may answer 5xx.

The patterns come from the resolver (a new page is crawled without editing this file); a parameter gets its
values from ``VALUES`` by URL name or parameter name. A pattern whose parameters cannot be filled fails the
test, so that a new kind of parameter is added here rather than silently skipped.
"""
from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ROLES = ["admin", "operator.babakan", "lurah.babakan", "camat.setu", "sekcam.setu", "kadis.diskominfo",
         "kepala.bpkad", "bendahara.setu", "inspektur", "kabag.hukum", "perancang", "pemrakarsa.diskominfo",
         "walikota", "sekda", None]
# Patterns that only re-route to another (their targets are crawled themselves) or are not pages.
SKIP = re.compile(r"^(admin/\(\?P<url>|admin/r/|admin/.*/(delete|history)/|admin/\w+/\w+/<path:object_id>/$"
                  r"|api/v1/.*format|accounts/logout/|accounts/reset/<uidb64>)")


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace + (p.name or "")


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _ids(model, n=2, **filters):
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[:n])


def values_for(route: str, name: str, params: list[str]) -> list[dict] | None:
    """Concrete parameter sets for one pattern (a few per pattern), or None when it cannot be filled."""
    from viewflow.workflow.models import Process, Task

    from budget_requests.finance.models import MonthlyReport, Scenario
    from budget_requests.models import Asset, Envelope, Photo, RepairRequest
    from perda.models import Consultation, Provision, PublicComment, Regulation, StageRecord
    from workflows.models import GeneratedDocument, Notification

    if not params:
        return [{}]
    if name.startswith("workflow:flows:"):
        parts = name.split(":")  # workflow, flows, <flow>, [<node>,] <view>
        flow_label = {"repair": "RepairFlow", "formation": "FormationFlow"}.get(parts[2], parts[2])
        if "task_pk" in params:
            node = parts[3]
            tasks = Task.objects.filter(flow_task__endswith=f"{flow_label}.{node}").order_by("-pk")
            picked = {t.status: t for t in tasks}  # one task per status: open, assigned, done…
            return [{"process_pk": t.process_id, "task_pk": t.pk} for t in picked.values()] or [{}]
        processes = Process.objects.filter(flow_class__endswith=flow_label).order_by("-pk")[:2]
        return [{"process_pk": p.pk} for p in processes] or [{}]
    if name.startswith("admin:"):
        from django.apps import apps

        if params == ["app_label"]:
            return [{"app_label": "workflows"}, {"app_label": "budget_requests"}]
        app_label, model_name = route.split("/")[1:3]
        model = apps.get_model(app_label, model_name)
        return [{"object_id": str(pk), "id": str(pk)} for pk in _ids(model, 1)] or [{}]
    by_name = {
        "task_open": lambda: _ids(Task, 3),
        "notification_open": lambda: _ids(Notification),
        "document_download": lambda: _ids(GeneratedDocument, 3),
        "document_status": lambda: _ids(GeneratedDocument, 1),
        "budget_requests:photo_file": lambda: _ids(Photo),
        "budget_requests:envelope_detail": lambda: _ids(Envelope),
        "budget_requests:api-envelope-detail": lambda: _ids(Envelope),
        "budget_requests:api-asset-detail": lambda: _ids(Asset),
        "finance:report_detail": lambda: _ids(MonthlyReport),
        "finance:scenario_edit": lambda: _ids(Scenario),
        "finance:scenario_run": lambda: _ids(Scenario),
    }
    out = []
    if "pk" in params:
        pks = by_name[name]() if name in by_name else [
            pk for state in ("draft", "under_review", "approved", "paid", "returned")
            for pk in _ids(RepairRequest, 1, state=state)]
        out = [{"pk": pk} for pk in pks]
    elif "regulation_id" in params:
        out = [{"regulation_id": pk} for pk in _ids(Regulation, 3)]
    elif "consultation_id" in params:
        out = [{"consultation_id": pk} for pk in _ids(Consultation)]
    elif set(params) == {"kind_key", "object_id"}:
        out = [{"kind_key": "perda.peraturan", "object_id": pk} for pk in _ids(Regulation, 2)] + [
            {"kind_key": "budget_requests.keputusan", "object_id": pk} for pk in _ids(RepairRequest, 2, state="approved")]
    elif params == ["public_id"]:
        from workflows.models import SignedDocument

        out = [{"public_id": uid} for uid in SignedDocument.objects.values_list("public_id", flat=True)[:2]]
        out.append({"public_id": "00000000-0000-4000-8000-000000000000"})  # unknown: a 404, never a 500
    elif params == ["fmt"]:
        out = [{"fmt": "json"}, {"fmt": "csv"}]
    elif set(params) == {"key", "fmt"}:
        out = [{"key": "status", "fmt": "csv"}, {"key": "pagu", "fmt": "xlsx"}]
    else:
        return None
    filled = []
    for base in out:
        item = dict(base)
        if "uid" in params:
            uid = Provision.objects.filter(regulation_id=item["regulation_id"]).values_list("uid", flat=True).first()
            if uid is None:
                continue
            item["uid"] = uid
        if "action" in params:
            item["action"] = "approve" if name.startswith("budget_requests") else "submit"
        if "record_id" in params:
            record = StageRecord.objects.filter(formation__regulation_id=item["regulation_id"]).first()
            if record is None:
                continue
            item["record_id"] = record.pk
        if "comment_id" in params:
            comment = PublicComment.objects.filter(consultation_id=item["consultation_id"]).first()
            if comment is None:
                continue
            item["comment_id"] = comment.pk
        filled.append(item)
    return filled


def fill(route: str, values: dict) -> str:
    def sub(m):
        key = m.group(2) or m.group(3)
        return str(values[key])
    url = PARAM.sub(sub, route)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


@pytest.fixture
def demo(settings, tmp_path):
    from django.utils.module_loading import import_string

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PAMONG_SIGNING_DIR = tmp_path / "signing"
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False
    for dotted in settings.PAMONG_SEEDERS:
        import_string(dotted)()


def crawl(client, roles) -> list[str]:
    """GET every pattern's URLs as each of ``roles`` (usernames; None = anonymous); the 5xx answers found."""
    from django.contrib.auth import get_user_model

    urls, unfilled = [], []
    for route, name in walk(get_resolver().url_patterns):
        if SKIP.match(route):
            continue
        params = [m.group(2) or m.group(3) for m in PARAM.finditer(route)]
        sets = values_for(route, name, params)
        if sets is None:
            unfilled.append(f"{name} {route}")
            continue
        for values in sets:
            if set(params) <= set(values):
                urls.append((name, fill(route, values)))
    assert not unfilled, "teach values_for these patterns: " + ", ".join(unfilled)
    assert len(urls) > 150
    failures = []
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[r for r in roles if r])}
    for role in roles:
        client.logout()
        if role:
            client.force_login(users[role])
        for name, url in urls:
            if role != "admin" and name.startswith("admin:") and not name.endswith(("index", "login")):
                continue  # non-staff users are sent to the admin login: crawled once, as admin
            try:
                response = client.get(url)
                status = response.status_code
            except Exception as exc:  # noqa: BLE001 - the test client re-raises what a 500 would hide
                failures.append(f"{role or 'anonymous'} GET {url} ({name}) raised {type(exc).__name__}: {exc}")
                continue
            if status >= 500:
                failures.append(f"{role or 'anonymous'} GET {url} ({name}) -> {status}")
            elif status == 200 and response.get("Content-Type", "").startswith("text/html"):
                html = response.content.decode("utf-8", "replace")
                inline = inline_code(html)
                if inline:
                    failures.append(f"{role or 'anonymous'} GET {url} ({name}): inline script under the CSP: {inline}")
                inline = "" if allows_inline_style_elements(response) else inline_style_element(html)
                if inline:
                    failures.append(f"{role or 'anonymous'} GET {url} ({name}): <style> under the CSP: {inline}")
                if "'unsafe-inline'" not in style_directive(response, "style-src-attr"):
                    failures.append(f"{role or 'anonymous'} GET {url} ({name}): style-src-attr lost 'unsafe-inline'")
                inline = style_attribute_not_from_third_party_templates(response, html)
                if inline:
                    failures.append(f"{role or 'anonymous'} GET {url} ({name}): style attribute on our page: {inline}")
    return failures


INLINE_STYLE_ATTRIBUTE = re.compile(r'<[a-zA-Z][^<>]*\sstyle\s*=\s*["\']', re.I)
INLINE_STYLE_ELEMENT = re.compile(r'<style(?![^>]*\snonce=)[^>]*>', re.I)


def inline_style(html: str) -> str:
    """The first style="..." attribute or <style> element without a nonce in ``html``, or "". Our templates
    carry neither (tests/workflows/test_csp.py)."""
    return inline_style_attribute(html) or inline_style_element(html)


def inline_style_attribute(html: str) -> str:
    """The first style="..." attribute in ``html`` (style-src-attr allows it: viewflow's stock pages set some),
    or ""."""
    match = INLINE_STYLE_ATTRIBUTE.search(html)
    return match.group(0)[:160] if match else ""


def inline_style_element(html: str) -> str:
    """The first <style> element without a nonce in ``html`` (a style-src-elem without 'unsafe-inline' blocks
    it), or ""."""
    match = INLINE_STYLE_ELEMENT.search(html)
    return match.group(0)[:160] if match else ""


def style_directive(response, directive: str) -> list[str]:
    """The sources of one directive of the response's Content-Security-Policy ([] when it has none)."""
    header = response.get("Content-Security-Policy", "")
    return next((part.split()[1:] for part in header.split(";") if part.split()[:1] == [directive]), [])


def allows_inline_style_elements(response) -> bool:
    """Whether the response's Content-Security-Policy lets <style> elements through (Redoc, the SVG charts)."""
    return "'unsafe-inline'" in style_directive(response, "style-src-elem")


STYLE_ATTRIBUTE_VALUE = re.compile(r'<[a-zA-Z][^<>]*?\sstyle\s*=\s*(["\'])(.*?)\1', re.I | re.S)


def style_attribute_not_from_third_party_templates(response, html: str) -> str:
    """The first style="..." attribute in ``html`` that no third-party template rendered for the response
    (viewflow's stock ones, included by our pages too) carries verbatim, or "": our templates add none."""
    shipped = {m.group(2) for t in getattr(response, "templates", [])
               if "site-packages" in str(getattr(getattr(t, "origin", None), "name", ""))
               for m in STYLE_ATTRIBUTE_VALUE.finditer(getattr(t, "source", ""))}
    for match in STYLE_ATTRIBUTE_VALUE.finditer(html):
        if match.group(2) not in shipped:
            return match.group(0)[:160]
    return ""


def rendered_by_our_template(response) -> bool:
    """Whether the page's outermost template is one of ours rather than a third-party one served as shipped
    (viewflow's workflow pages, Django's and DRF's own)."""
    templates = [t for t in getattr(response, "templates", []) if getattr(t, "origin", None)]
    return bool(templates) and "site-packages" not in str(templates[0].origin.name)


INLINE_SCRIPT = re.compile(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/(?:ld\+)?json")[^>]*>', re.I)
INLINE_HANDLER = re.compile(r'<[a-zA-Z][^<>]*\son[a-z]+\s*=\s*["\']|href=["\']javascript:', re.I)


def inline_code(html: str) -> str:
    """The first inline script, inline event handler or javascript: link in ``html`` (the Content-Security-
    Policy blocks them all), or ""."""
    match = INLINE_SCRIPT.search(html) or INLINE_HANDLER.search(html)
    return match.group(0)[:120] if match else ""


# The unit stage crawls as these roles (the administrator, a unit-scoped official, a city-wide one, Bagian Hukum
# and an anonymous visitor); tests/services/test_crawl_every_role.py crawls as every other demo role.
UNIT_STAGE_ROLES = ["admin", "lurah.babakan", "kepala.bpkad", "kabag.hukum", None]


def test_no_page_answers_5xx(client, demo):
    failures = crawl(client, UNIT_STAGE_ROLES)
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} in all)"


def test_the_task_detail_page_works_for_the_tasks_owner(client, repair_world, settings):
    """viewflow's task detail page linked the review's response timer (a node without a page): NoReverseMatch
    'index', a 500, for the very official who owns the task."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from budget_requests.flows import RepairFlow
    from tests.budget_requests.support import new_request

    settings.BUDGET_DOCUMENTS_ON_EVENTS = False
    w = repair_world
    r = new_request(w, amount=1_000_000)
    task = Task.objects.get(process_id=r.process_id, flow_task=RepairFlow.review, status=STATUS.NEW)
    Task.objects.filter(pk=task.pk).update(owner=w.lurah_babakan, status=STATUS.ASSIGNED)
    assert Task.objects.filter(process_id=r.process_id, flow_task_type="TIMER").exists()
    client.force_login(w.lurah_babakan)
    base = f"/workflow/flows/repair/{r.process_id}/review/{task.pk}/"
    response = client.get(base + "detail/")
    assert response.status_code == 200
    assert "Previous tasks" in response.content.decode() or "Tugas sebelumnya" in response.content.decode()
    client.force_login(w.admin)
    assert client.get("/workflow/flows/repair/tasks/").status_code == 200
    assert client.get(f"/workflow/flows/repair/{r.process_id}/cancel/").status_code == 200
