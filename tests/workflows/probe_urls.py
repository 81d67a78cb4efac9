"""A URLconf that builds the site from ``settings.PAMONG_FLOWS`` at import time, as ``config.urls`` does.

Imported only by tests that first override PAMONG_FLOWS (see ``probe_site`` in test_shell.py). The module is
imported once per test process, so every such test must set the same list: the project's flows plus
``workflows.testing.flows.ShellProbeFlow``.
"""
from config.urls import build_urlpatterns
from workflows.site import build_site

site = build_site()
urlpatterns = build_urlpatterns(site)
