import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from workflows.formatting import rupiah, rupiah_sen, tanggal, tanggal_hari, terbilang, terbilang_angka, wib

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    "amount, expected",
    [
        (1_500_000, "Rp1.500.000"),
        (0, "Rp0"),
        (999, "Rp999"),
        (1_000, "Rp1.000"),
        (200_000_000, "Rp200.000.000"),
        (Decimal("5000000"), "Rp5.000.000"),
        (-25_000, "-Rp25.000"),
    ],
)
def test_rupiah(amount, expected):
    assert rupiah(amount) == expected


def test_rupiah_sen_adds_zero_cents():
    assert rupiah_sen(1_500_000) == "Rp1.500.000,00"


def test_money_refuses_floats_and_fractions():
    with pytest.raises(TypeError):
        rupiah(1500.5)
    with pytest.raises(ValueError):
        rupiah(Decimal("10.50"))


@pytest.mark.parametrize(
    "amount, expected",
    [
        (1_500_000, "satu juta lima ratus ribu rupiah"),
        (11, "sebelas rupiah"),
        (100, "seratus rupiah"),
        (1_000, "seribu rupiah"),
        (1_000_000, "satu juta rupiah"),
        (0, "nol rupiah"),
        (115, "seratus lima belas rupiah"),
        (1_100, "seribu seratus rupiah"),
        (21_000, "dua puluh satu ribu rupiah"),
        (201_000, "dua ratus satu ribu rupiah"),
        # num2words says "satu juta satu ribu"; the thousands group of exactly one is "seribu".
        (1_001_000, "satu juta seribu rupiah"),
        (2_001_500, "dua juta seribu lima ratus rupiah"),
        (4_750_000, "empat juta tujuh ratus lima puluh ribu rupiah"),
        (1_000_000_000, "satu miliar rupiah"),
    ],
)
def test_terbilang(amount, expected):
    assert terbilang(amount) == expected


def test_terbilang_negative_and_without_currency():
    assert terbilang_angka(-5) == "minus lima"
    assert terbilang_angka(1_500) == "seribu lima ratus"


def test_wib_converts_from_utc():
    # 07:05 UTC is 14:05 in Jakarta (UTC+7).
    assert wib(dt.datetime(2026, 11, 27, 7, 5, tzinfo=UTC)) == "27 November 2026 14.05 WIB"


def test_wib_crosses_midnight_into_next_day():
    assert wib(dt.datetime(2026, 12, 31, 18, 30, tzinfo=UTC)) == "1 Januari 2027 01.30 WIB"


def test_wib_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        wib(dt.datetime(2026, 11, 27, 7, 5))


def test_tanggal_uses_indonesian_month_and_day_names():
    assert tanggal(dt.date(2026, 8, 17)) == "17 Agustus 2026"
    assert tanggal_hari(dt.date(2026, 11, 27)) == "Jumat, 27 November 2026"
    assert tanggal(dt.datetime(2026, 5, 31, 20, 0, tzinfo=UTC)) == "1 Juni 2026"


def test_template_filters():
    out = Template(
        "{% load pamong %}{{ a|rupiah }}|{{ a|rupiah_sen }}|{{ a|terbilang }}|{{ t|wib }}|{{ none|rupiah }}|{{ d|tanggal }}"
    ).render(Context({"a": 1_500_000, "t": dt.datetime(2026, 11, 27, 7, 5, tzinfo=UTC), "none": None,
                      "d": dt.date(2026, 3, 1)}))
    assert out == (
        "Rp1.500.000|Rp1.500.000,00|satu juta lima ratus ribu rupiah|27 November 2026 14.05 WIB||1 Maret 2026"
    )
