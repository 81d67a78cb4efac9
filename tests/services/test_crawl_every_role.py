"""No page answers 5xx for any demo role, on PostgreSQL: the crawl of ``tests/workflows/test_crawl.py`` as every
demo login that the unit stage leaves out (it crawls as a few representative roles to stay fast)."""
import pytest

from tests.workflows.test_crawl import UNIT_STAGE_ROLES, crawl, demo  # noqa: F401 (fixture)
from workflows.seed import HIGHLIGHTED_LOGINS


@pytest.mark.services
@pytest.mark.django_db
def test_no_page_answers_5xx_for_any_other_demo_role(client, demo):  # noqa: F811
    roles = [username for username in HIGHLIGHTED_LOGINS if username not in UNIT_STAGE_ROLES]
    assert len(roles) >= 10
    failures = crawl(client, roles)
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} in all)"
