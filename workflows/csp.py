"""The two kinds of response that keep inline <style> elements under the Content-Security-Policy.

Everywhere else style-src-elem (and style-src, its fallback for browsers without CSP Level 3) is ``'self'``
plus the response's nonce (config/settings/base.py): no <style> element without the nonce, style sheets only
from our static files. Style attributes are allowed everywhere by style-src-attr (viewflow's stock templates
set them; ours carry none). Two third-party documents cannot do without inline <style> elements, and neither
is ever part of another page (no Turbo Drive, no shared DOM):

- viewflow's flow charts (``.../chart/``), SVG documents with their own <style> element. Pages show them as
  <img>, where a policy does not apply; this covers opening one on its own.
- Redoc (``/api/redoc/``): its bundled styled-components inserts <style> elements before it reads a nonce
  and fails without them ("An error occurred", styled-components error 17), so its view is decorated in
  config/urls.py with ``INLINE_STYLE_SRC``.

Both directives are replaced: a browser that knows style-src-elem ignores style-src for <style> elements.
"""
from csp.constants import SELF, UNSAFE_INLINE

INLINE_STYLE_SRC = {"style-src": [SELF, UNSAFE_INLINE], "style-src-elem": [SELF, UNSAFE_INLINE]}


class InlineStylesForSvgMiddleware:
    """Lets an SVG document (viewflow's flow chart) keep its inline styles; it must come after
    ``csp.middleware.CSPMiddleware`` in MIDDLEWARE so that its answer is seen before the header is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("image/svg+xml"):
            response._csp_replace = INLINE_STYLE_SRC
        return response
