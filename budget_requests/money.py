"""Rupiah formatting shared by messages (whole rupiah, Indonesian thousand separators)."""


def rupiah(value: int) -> str:
    """5000000 -> "5.000.000" (prefix "Rp" yourself)."""
    return f"{value:,}".replace(",", ".")
