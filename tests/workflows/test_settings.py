"""Production settings refuse to start without their secrets and pass ``check --deploy`` with them.

Each case runs in its own interpreter (settings are read once per process); they run in parallel.
"""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = secrets.token_urlsafe(60)
DB_URL = "postgres://pamong@db.example.invalid:5432/pamong"
SETUP = "import django; django.setup(); print('settings loaded')"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

CASES = {
    "no_secret": ([sys.executable, "-c", SETUP], {"DATABASE_URL": DB_URL}),
    "no_database": ([sys.executable, "-c", SETUP], {"DJANGO_SECRET_KEY": SECRET}),
    "neither": ([sys.executable, "-c", SETUP], {}),
    "weak_secret": ([sys.executable, "-c", SETUP], {"DJANGO_SECRET_KEY": "short", "DATABASE_URL": DB_URL}),
    "filesystem_broker": (
        [sys.executable, "-c", SETUP],
        {"DJANGO_SECRET_KEY": SECRET, "DATABASE_URL": DB_URL, "CELERY_BROKER_URL": "filesystem://"},
    ),
    "deploy_check": (
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {"DJANGO_SECRET_KEY": SECRET, "DATABASE_URL": DB_URL},
    ),
    "default_cache": (
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print('CACHE', settings.CACHES['default']['BACKEND'])"],
        {"DJANGO_SECRET_KEY": SECRET, "DATABASE_URL": DB_URL},
    ),
    "per_process_cache": (
        [sys.executable, "-c", SETUP],
        {"DJANGO_SECRET_KEY": SECRET, "DATABASE_URL": DB_URL, "DJANGO_CACHE_URL": "locmemcache://x"},
    ),
    "gunicorn_config": (
        [GUNICORN, "--config", "config/gunicorn.conf.py", "--check-config"],
        {"DJANGO_SECRET_KEY": SECRET, "DATABASE_URL": DB_URL},
    ),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("DJANGO_", "CELERY_", "PAMONG_")) and k != "DATABASE_URL"}
    var_dir = tmp_path_factory.mktemp("var")
    procs = {}
    for name, (cmd, extra) in CASES.items():
        env = {**base_env, "DJANGO_SETTINGS_MODULE": "config.settings.production", "PAMONG_VAR_DIR": str(var_dir),
               **extra}
        procs[name] = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True)
    results = {}
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=120)
        results[name] = (proc.returncode, out)
    return results


@pytest.mark.parametrize("case, names", [
    ("no_secret", ["DJANGO_SECRET_KEY"]),
    ("no_database", ["DATABASE_URL"]),
    ("neither", ["DJANGO_SECRET_KEY", "DATABASE_URL"]),
])
def test_production_refuses_to_start_without_its_secrets(outcomes, case, names):
    rc, out = outcomes[case]
    assert rc != 0
    assert "settings loaded" not in out
    line = re.search(r"django\.core\.exceptions\.ImproperlyConfigured: (.*)", out)
    assert line, out
    for name in names:
        assert f"{name}" in line.group(1)
    assert "must be set in production" in line.group(1)


def test_production_refuses_a_weak_secret_key(outcomes):
    rc, out = outcomes["weak_secret"]
    assert rc != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be a random string of at least 50 characters" in out


def test_production_refuses_the_single_machine_broker(outcomes):
    rc, out = outcomes["filesystem_broker"]
    assert rc != 0
    assert "filesystem broker is for one machine only" in out


def test_production_shares_one_cache_between_processes_by_default(outcomes):
    rc, out = outcomes["default_cache"]
    assert rc == 0, out
    assert "CACHE django.core.cache.backends.db.DatabaseCache" in out


def test_production_refuses_a_per_process_cache(outcomes):
    rc, out = outcomes["per_process_cache"]
    assert rc != 0
    assert "DJANGO_CACHE_URL must name a cache shared by every web process" in out


def test_deploy_check_is_clean_with_secret_and_database(outcomes):
    rc, out = outcomes["deploy_check"]
    assert rc == 0, out
    assert "System check identified no issues" in out


def test_gunicorn_config_loads_the_production_app(outcomes):
    rc, out = outcomes["gunicorn_config"]
    assert rc == 0, out


def test_production_procfile_has_several_web_workers_a_worker_and_exactly_one_beat():
    lines = dict(
        line.split(":", 1) for line in (REPO_ROOT / "Procfile").read_text().splitlines() if line.strip()
    )
    assert "gunicorn --config config/gunicorn.conf.py" in lines["web"]
    assert "celery -A config worker" in lines["worker"]
    assert "--beat" not in lines["worker"], "beat must run once, not inside every worker"
    assert "celery -A config beat" in lines["beat"]
    assert sum("celery -A config beat" in cmd or "--beat" in cmd for cmd in lines.values()) == 1
    namespace: dict = {}
    env_before = dict(os.environ)
    try:
        exec((REPO_ROOT / "config" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own file
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    assert namespace["workers"] >= 2
    assert namespace["accesslog"] == "-"
    assert namespace["wsgi_app"] == "config.wsgi:application"


def test_readme_documents_every_environment_variable_the_settings_read():
    """Keep README.md's table in sync: a variable read in config/settings/*.py or gunicorn.conf.py needs a row."""
    sources = [*sorted((REPO_ROOT / "config" / "settings").glob("*.py")), REPO_ROOT / "config" / "gunicorn.conf.py"]
    pattern = re.compile(r"""(?:\benv(?:\.\w+)?|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']""")
    read = {name for path in sources for name in pattern.findall(path.read_text())}
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "GUNICORN_WORKERS"} <= read
    readme = (REPO_ROOT / "README.md").read_text()
    table = readme[readme.index("## Environment variables"):]
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert not missing, f"add these to the 'Environment variables' table of README.md: {missing}"
