"""Indonesian formatting of money, amounts in words and times, shared by templates, PDFs and exports.

Pure functions without database or request access, so a PDF renderer, an Excel export and a template filter
all print the same text:

- ``rupiah(1500000)`` → ``"Rp1.500.000"``; ``rupiah_sen(1500000)`` → ``"Rp1.500.000,00"``
- ``terbilang(1500000)`` → ``"satu juta lima ratus ribu rupiah"``
- ``wib(datetime)`` → ``"27 November 2026 14.05 WIB"``; ``tanggal(date)`` → ``"27 November 2026"``

Money is whole rupiah in integers (DESIGN.md): a float or a fractional Decimal is refused rather than rounded.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from num2words import num2words

WIB = ZoneInfo("Asia/Jakarta")

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _whole(amount: int | Decimal | str) -> int:
    """Coerce an amount of whole rupiah to ``int``; floats and fractions are programming errors."""
    if isinstance(amount, bool) or isinstance(amount, float):
        raise TypeError("Jumlah uang harus bilangan bulat rupiah, bukan float.")
    if isinstance(amount, Decimal):
        if amount != amount.to_integral_value():
            raise ValueError(f"Jumlah uang harus bilangan bulat rupiah: {amount}")
        return int(amount)
    if isinstance(amount, str):
        return int(amount.strip())
    return int(amount)


def ribuan(number: int) -> str:
    """Group digits with the Indonesian thousands separator: 1500000 → "1.500.000"."""
    value = _whole(number)
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def rupiah(amount: int | Decimal) -> str:
    """Rp1.500.000 (no space, no decimals), the form used in lists and on screen."""
    value = _whole(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{ribuan(abs(value))}"


def rupiah_sen(amount: int | Decimal) -> str:
    """Rp1.500.000,00 — the form official documents (SPP, SPM, kuitansi) print beside the terbilang."""
    return f"{rupiah(amount)},00"


# num2words says "satu ribu" when the thousands group is exactly one after a larger group
# (1.001.000 → "satu juta satu ribu"); Indonesian says "seribu" there. "dua ratus satu ribu" stays.
_SATU_RIBU = re.compile(r"(^|(?:juta|miliar|triliun|kuadriliun) )satu ribu\b")
_SATU_RATUS = re.compile(r"(^|\s)satu ratus\b")


def terbilang_angka(number: int) -> str:
    """A whole number in Indonesian words, without the currency: 1500000 → "satu juta lima ratus ribu"."""
    value = _whole(number)
    if value < 0:
        return "minus " + terbilang_angka(-value)
    words = num2words(value, lang="id")
    words = _SATU_RIBU.sub(lambda m: f"{m.group(1)}seribu", words)
    words = _SATU_RATUS.sub(lambda m: f"{m.group(1)}seratus", words)
    return re.sub(r"\s+", " ", words).strip()


def terbilang(amount: int | Decimal) -> str:
    """An amount in words as documents write it: 1500000 → "satu juta lima ratus ribu rupiah"."""
    return f"{terbilang_angka(amount)} rupiah"


def _to_wib(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("Waktu harus memiliki zona waktu (aware datetime).")
    return value.astimezone(WIB)


def tanggal(value: dt.date | dt.datetime) -> str:
    """27 November 2026 (a datetime is first moved to WIB, so the day is the one seen in Jakarta)."""
    if isinstance(value, dt.datetime):
        value = _to_wib(value).date()
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def tanggal_hari(value: dt.date | dt.datetime) -> str:
    """Jumat, 27 November 2026."""
    day = _to_wib(value).date() if isinstance(value, dt.datetime) else value
    return f"{HARI[day.weekday()]}, {tanggal(day)}"


def jam(value: dt.datetime) -> str:
    """14.05 — Indonesian writes the time with a full stop."""
    local = _to_wib(value)
    return f"{local.hour:02d}.{local.minute:02d}"


def wib(value: dt.datetime) -> str:
    """27 November 2026 14.05 WIB, for any aware datetime (stored in UTC)."""
    local = _to_wib(value)
    return f"{tanggal(local.date())} {jam(local)} WIB"
