"""Rupiah as people write it: formatting for messages and the one parser of typed amounts (whole rupiah,
Indonesian thousand separators)."""
from __future__ import annotations

import re

# After whitespace is removed: an optional sign, an optional "Rp"/"Rp.", whole rupiah (ASCII digits only,
# grouped by "." in threes or not grouped at all), then optionally the written zero cents ",-" / ",00".
_AMOUNT = re.compile(
    r"(?P<sign>-?)(?:rp\.?)?(?P<sign2>-?)(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,18})(?:,(?P<cents>-|[0-9]{1,2}))?",
    re.ASCII | re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")  # spaces, tabs, no-break spaces (U+00A0, U+202F) as pasted from documents


class AmountSyntaxError(ValueError):
    """The text is not a whole-rupiah amount; ``code`` says why ("not_numeric" or "has_cents")."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def rupiah(value: int) -> str:
    """5000000 -> "5.000.000" (prefix "Rp" yourself)."""
    return f"{value:,}".replace(",", ".")


def parse_rupiah(text: str) -> int:
    """A typed amount in whole rupiah: "1750000", "1.750.000", "Rp1.750.000", "Rp 1.750.000,00", "Rp1.750.000,-",
    "Rp. 1.750.000" (a leading "-" gives a negative number for the caller to refuse). Only ASCII digits count:
    other scripts' digits ("١٢٣", "１２３") that Python's ``int`` would read are refused, as are a decimal point,
    misplaced separators and non-zero cents."""
    match = _AMOUNT.fullmatch(_SPACE.sub("", text or ""))
    if match is None or (match["sign"] and match["sign2"]):
        raise AmountSyntaxError("not_numeric")
    if match["cents"] not in (None, "-") and int(match["cents"]) != 0:
        raise AmountSyntaxError("has_cents")
    value = int(match["whole"].replace(".", ""))
    return -value if (match["sign"] or match["sign2"]) else value
