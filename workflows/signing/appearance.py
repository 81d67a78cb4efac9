"""Where the visible signature block goes and what it says.

The block sits in the bottom margin of the last page, right-aligned to the text column (the page number of
the shared PDF stylesheet sits at the bottom centre, the regulation's at the top): the signer's name, the
capacity in which they sign ("Plh. Camat Setu"), the time, and a QR code to the public verification page.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .base import SignatureBlock

PT_PER_MM = 72 / 25.4
BLOCK_WIDTH = 230
BLOCK_HEIGHT = 56
RIGHT_MARGIN = 20 * PT_PER_MM  # the right margin of every page in the PDF stylesheets
BOTTOM_OFFSET = 5 * PT_PER_MM


@dataclass(frozen=True)
class Placement:
    page: int  # zero-based
    box: tuple[int, int, int, int]  # x1, y1, x2, y2 in PDF points from the bottom-left corner


def placement(*, page_count: int, page_width: float) -> Placement:
    x2 = int(page_width - RIGHT_MARGIN)
    y1 = int(BOTTOM_OFFSET)
    return Placement(page=page_count - 1, box=(x2 - BLOCK_WIDTH, y1, x2, y1 + BLOCK_HEIGHT))


def placement_in(pdf) -> Placement:
    """The placement on the last page of a pyHanko reader or incremental writer (the media box may be
    inherited from the page tree)."""
    pages = pdf.root["/Pages"]
    node, media_box = pages, pages.get("/MediaBox")
    while node.get("/Type") == "/Pages":
        node = node["/Kids"][-1].get_object()
        media_box = node.get("/MediaBox", media_box)
    x0, _y0, x1, _y1 = (float(v) for v in media_box)
    return placement(page_count=int(pages["/Count"]), page_width=x1 - x0)


def block_lines(block: SignatureBlock) -> list[str]:
    """The text of the block, line by line (the QR code sits to its left), with the time of signing in WIB."""
    signed_at_text = timezone.localtime().strftime("%d-%m-%Y %H:%M WIB")
    return [
        _("Ditandatangani secara elektronik oleh"),
        block.signer_name,
        block.capacity_label,
        signed_at_text,
        _("Pindai QR untuk verifikasi"),
    ]
