"""The visible signature block as a PNG, for services that stamp an image the caller supplies (BSrE's
``imageTTD``): the QR code to the verification page on the left, the block's lines on the right."""
from __future__ import annotations

import io

from .appearance import BLOCK_HEIGHT, BLOCK_WIDTH

SCALE = 4  # pixels per PDF point: sharp when printed


def block_png(lines: list[str], url: str) -> bytes:
    import qrcode
    from PIL import Image, ImageDraw, ImageFont

    width, height = BLOCK_WIDTH * SCALE, BLOCK_HEIGHT * SCALE
    image = Image.new("RGB", (width, height), "white")
    qr = qrcode.QRCode(border=1, box_size=4)
    qr.add_data(url)
    qr.make(fit=True)
    code = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    code = code.resize((height, height))
    image.paste(code, (0, 0))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=7 * SCALE)
    line_height = (height - 8) // max(len(lines), 1)
    for i, text in enumerate(lines):
        draw.text((height + 6 * SCALE, 4 + i * line_height), text, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
