"""viewflow's flow-wide pages list every process: unit-scoped users are sent to their app's scoped list."""
import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

FLOW_PAGES = ["/workflow/flows/repair/", "/workflow/flows/repair/flows/", "/workflow/flows/repair/tasks/"]


@pytest.mark.parametrize("url", FLOW_PAGES)
def test_a_lurah_gets_the_scoped_request_list_instead_of_the_flow_wide_page(client, tangsel, url):
    client.force_login(get_user_model().objects.get(username="lurah.babakan"))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/anggaran/"


@pytest.mark.parametrize("url", FLOW_PAGES)
def test_city_wide_finance_officers_keep_the_flow_wide_page(client, tangsel, url):
    client.force_login(get_user_model().objects.get(username="kepala.bpkad"))
    assert client.get(url).status_code == 200
