"""The PDF helper: one real WeasyPrint render (shared), and a fetcher that serves only static files."""
import base64
import http.server
import io
import logging
import threading

import pypdf
import pytest
from django.contrib.staticfiles import finders

from workflows import pdf
from workflows.pdf import FetchRefused, render_pdf, static_only_fetcher

# A 1 x 1 px PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
    )
).decode()


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        body = b"body::after { content: 'DARI-JARINGAN'; }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def rendered(http_server, tmp_path_factory):
    """One real render exercising the stylesheet, the fonts, a data: image and three refused resources."""
    secret = tmp_path_factory.mktemp("outside") / "secret.css"
    secret.write_text("body::after { content: 'BOCOR-RAHASIA'; }")
    html = f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
      <link rel="stylesheet" href="/static/pdf/base.css">
      <link rel="stylesheet" href="{secret.as_uri()}">
      <link rel="stylesheet" href="{http_server}/jaringan.css">
    </head><body class="f4">
      <h1>PERATURAN DAERAH KOTA TANGERANG SELATAN</h1>
      <p>Pasal 1 <b>Daerah</b> adalah <i>Kota Tangerang Selatan</i>.</p>
      <img src="data:image/png;base64,{PNG}" alt="">
      <img src="file:///etc/passwd" alt=""><img src="{http_server}/gambar.png" alt="">
    </body></html>"""
    return pypdf.PdfReader(io.BytesIO(render_pdf(html)))


def test_render_uses_f4_paper_and_the_shipped_bookman(rendered):
    page = rendered.pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    height_mm = float(page.mediabox.height) / 72 * 25.4
    assert (round(width_mm), round(height_mm)) == (215, 330)
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in page["/Resources"]["/Font"].values()}
    assert fonts == {"Pamong-Bookman", "Pamong-Bookman-Bold", "Pamong-Bookman-Italic"}
    text = page.extract_text()
    assert "PERATURAN DAERAH KOTA TANGERANG SELATAN" in text and "Pasal 1 Daerah adalah" in text
    # Exactly one image: the data: one; the refused file:// and http:// images are left out.
    images = [x.get_object()["/Subtype"] for x in page["/Resources"].get("/XObject", {}).values()]
    assert images == ["/Image"]


def test_render_fetched_nothing_outside_static(rendered):
    text = "".join(p.extract_text() for p in rendered.pages)
    assert "BOCOR-RAHASIA" not in text and "DARI-JARINGAN" not in text and "root:" not in text
    assert _CountingHandler.hits == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file:///static/../../etc/passwd",
    "file:///static/../../../../etc/passwd",
    "http://127.0.0.1:9/x.png",
    "https://example.com/font.otf",
    "ftp://example.com/x",
])
def test_fetcher_refuses(url, caplog):
    with caplog.at_level(logging.WARNING, logger="workflows.pdf"), pytest.raises(FetchRefused):
        static_only_fetcher().fetch(url)
    assert "refused" in caplog.text


def test_fetcher_serves_static_files_and_data_uris(settings):
    css = static_only_fetcher().fetch("file:///static/pdf/base.css")
    assert b"Pamong Bookman" in css.read()
    font = static_only_fetcher().fetch((settings.BASE_DIR / "static/fonts/urw-bookman/URWBookman-Light.otf").as_uri())
    assert font.read(4) == b"OTTO"
    assert static_only_fetcher().fetch("data:text/plain;base64,SGFsbw==").read() == b"Halo"


def test_symlink_out_of_a_static_folder_is_refused(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p {}")
    (static / "link.css").symlink_to("/etc/passwd")
    settings.STATICFILES_DIRS = [static]
    pdf.static_roots.cache_clear()
    finders.get_finder.cache_clear()
    try:
        assert static_only_fetcher().fetch((static / "ok.css").as_uri()).read() == b"p {}"
        assert static_only_fetcher().fetch("file:///static/ok.css").read() == b"p {}"
        with pytest.raises(FetchRefused):
            static_only_fetcher().fetch((static / "link.css").as_uri())
        with pytest.raises(FetchRefused):
            static_only_fetcher().fetch("file:///static/link.css")
    finally:
        pdf.static_roots.cache_clear()
        finders.get_finder.cache_clear()


def test_font_licence_ships_with_the_fonts(settings):
    folder = settings.BASE_DIR / "static" / "fonts" / "urw-bookman"
    assert "font exception" in (folder / "README.md").read_text() or "exception" in (folder / "LICENSE").read_text()
    assert "AFFERO" in (folder / "COPYING").read_text()
    assert len(list(folder.glob("URWBookman-*.otf"))) == 4
