"""House rule: no hand-written SQL outside migrations and the /healthz view, and no copies of viewflow's
activation/lock internals in the project's flows."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("budget_requests", "perda", "workflows", "config")
ALLOWED = {Path("workflows/views.py")}  # /healthz: SELECT 1
RAW = re.compile(r"\.cursor\(|\.raw\(|RawSQL\(|\.extra\(|\bexecute\(\s*f?[\"']")


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or rel in ALLOWED:
                continue
            yield rel, path.read_text(encoding="utf-8")


def test_no_raw_sql_outside_migrations_and_healthz():
    offenders = [f"{rel}:{n}" for rel, text in _sources() for n, line in enumerate(text.splitlines(), 1)
                 if RAW.search(line)]
    assert offenders == []


def test_healthz_is_the_only_cursor_and_it_is_there():
    assert ".cursor(" in (ROOT / "workflows/views.py").read_text(encoding="utf-8")


def test_flows_define_no_activation_create_or_lock_of_their_own():
    offenders = [str(rel) for rel, text in _sources()
                 if re.search(r"def create\(cls, flow_task|class \w+\(\w*(SelectForUpdateLock|NoLock)\)", text)]
    assert offenders == []
