"""One parser of typed amounts for the services, the forms and the API: ASCII digits with Indonesian separators,
the written forms "Rp1.750.000,-" and "Rp 1.750.000,00", and nothing that only Python's ``int`` would read."""
import pytest

from budget_requests.forms import QuoteForm
from budget_requests.services.common import clean_amount
from budget_requests.services.errors import RequestError

ACCEPTED = {
    "1750000": 1_750_000, "1.750.000": 1_750_000, "Rp1.750.000": 1_750_000, "Rp1.750.000,-": 1_750_000,
    "Rp 1.750.000,00": 1_750_000, "Rp. 1.750.000": 1_750_000, "rp 1.750.000,-": 1_750_000,
    "1\u00a0750\u00a0000": 1_750_000, "Rp\u00a01.750.000,00": 1_750_000,
}
REFUSED = [
    "١٧٥٠٠٠٠",             # Arabic-Indic digits: int() reads them
    "۱۷۵۰۰۰۰",             # Extended Arabic-Indic
    "１７５００００",         # fullwidth
    "१७५००००",             # Devanagari
    "1_750_000",           # int() reads underscores
    "1.75.000", "1750.000,5,0", "5000000.50", "Rp", "", "Rp1.750.000,-,-", "--5",
]


@pytest.mark.parametrize("text, value", ACCEPTED.items())
def test_written_forms_are_accepted(text, value):
    assert clean_amount(text) == value


@pytest.mark.parametrize("text", REFUSED)
def test_other_scripts_and_malformed_amounts_are_refused(text):
    with pytest.raises(RequestError) as exc:
        clean_amount(text)
    assert exc.value.code == "amount_not_numeric"
    assert exc.value.message.startswith("Nilai harus berupa bilangan bulat rupiah")


def test_cents_are_refused_with_their_own_message():
    with pytest.raises(RequestError) as exc:
        clean_amount("Rp1.750.000,50")
    assert exc.value.message == "Nilai harus berupa bilangan bulat rupiah tanpa sen."


def test_the_form_field_uses_the_same_parser():
    ok = QuoteForm({"vendor_name": "CV Maju", "amount": "Rp1.750.000,-"})
    assert ok.is_valid() and ok.cleaned_data["amount"] == 1_750_000
    bad = QuoteForm({"vendor_name": "CV Maju", "amount": "١٧٥٠٠٠٠"})
    assert not bad.is_valid() and "bilangan bulat rupiah" in bad.errors["amount"][0]


@pytest.mark.django_db
def test_the_api_uses_the_same_parser(repair_world):
    from rest_framework.test import APIClient

    w = repair_world
    client = APIClient()
    client.force_authenticate(w.operator_babakan)
    payload = {"asset": w.pc_babakan.tag, "category": "hardware", "problem": "Printer macet.",
               "envelope": w.env_setu.pk, "quotes": [{"vendor_name": "CV Maju", "amount": "Rp 1.750.000,00"}]}
    response = client.post("/api/v1/repair-requests/", {**payload, "amount": "Rp1.750.000,-"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == 1_750_000
    response = client.post("/api/v1/repair-requests/", {**payload, "amount": "١٧٥٠٠٠٠"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "amount_not_numeric"


def test_the_what_if_rule_editor_refuses_other_scripts_too():
    from budget_requests.finance.whatif import parse_rule_edits

    rules = [{"position_kind": "lurah", "max_single_amount": 5_000_000, "monthly_cap_per_unit": None}]
    edited, errors = parse_rule_edits(rules, {"max_0": "Rp7.500.000,-", "cap_0": ""})
    assert not errors and edited[0]["max_single_amount"] == 7_500_000
    _, errors = parse_rule_edits(rules, {"max_0": "٧٥٠٠٠٠٠", "cap_0": ""})
    assert errors
