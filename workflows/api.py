"""Project-wide REST API conventions (DRF): one JSON shape for every error.

``{"code": "<machine-readable>", "detail": "<Indonesian message>", "field": "<field name or null>"}`` and, for
input errors with several fields, ``"errors": {field: [messages]}``.

* an app's input error — a Django ``ValidationError`` carrying ``code``/``message`` and optionally ``field``
  attributes (e.g. ``budget_requests.errors.RequestError``) — answers 400;
* ``workflows.policy.Denied`` (and any Django ``PermissionDenied``) answers 403 with its code;
* DRF's own errors (validation, authentication, not found, throttling) keep their status and get the shape.

Set ``REST_FRAMEWORK["EXCEPTION_HANDLER"] = "workflows.api.exception_handler"``.

The parsers here replace DRF's JSON and multipart parsers: their errors are English and not marked for
translation, and a deeply nested JSON body made DRF's JSON parser raise ``RecursionError`` (a 500). DRF's other
messages are translated by its ``id`` catalogue plus ``locale/drf`` for the ones that catalogue leaves out.
"""
from __future__ import annotations

import codecs
from json import JSONDecodeError

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response
from rest_framework.utils import json
from rest_framework.views import exception_handler as drf_exception_handler

from .policy import Denied, OutOfScope


# Deepest nesting of arrays/objects an API body may have: every input of the API is at most three levels deep.
MAX_JSON_DEPTH = 32


def _too_deep(data, limit: int) -> bool:
    """Whether ``data`` nests deeper than ``limit`` (iterative: safe for any depth)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with Indonesian errors and a depth limit (a body nested thousands of levels deep is a
    400, not a ``RecursionError``)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(codecs.getreader(encoding)(stream),
                             parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            data = None
            too_deep = True
        except JSONDecodeError as exc:
            raise exceptions.ParseError(
                _("Isi permintaan bukan JSON yang sah (baris %(line)s, kolom %(column)s).")
                % {"line": exc.lineno, "column": exc.colno}) from None
        except ValueError:  # undecodable bytes, NaN/Infinity
            raise exceptions.ParseError(_("Isi permintaan bukan JSON yang sah.")) from None
        else:
            too_deep = _too_deep(data, MAX_JSON_DEPTH)
        if too_deep:
            raise exceptions.ParseError(_("Isi permintaan bersarang terlalu dalam (maksimal %(n)s tingkat).")
                                        % {"n": MAX_JSON_DEPTH})
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser with its parse error in Indonesian."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as exc:
            if str(exc.detail).startswith("Multipart form parse error"):
                raise exceptions.ParseError(_("Formulir multipart tidak dapat dibaca.")) from None
            raise


def error_body(code: str, detail: str, field: str | None = None, **extra) -> dict:
    return {"code": code, "detail": str(detail), "field": field, **extra}


def _first(detail, path: str | None = None):
    """The first (field, message, code) of a DRF error detail tree."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if path is None else f"{path}.{key}"
            if key == "non_field_errors":
                name = path
            return _first(value, name)
    if isinstance(detail, list):
        if not detail:
            return path, "", "invalid"
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                return _first(value, f"{path}.{index}" if path else str(index))
            return _first(value, path)
    return path, str(detail), getattr(detail, "code", "invalid") or "invalid"


def exception_handler(exc, context):
    if isinstance(exc, OutOfScope):  # an outsider learns nothing: the answer for a record that does not exist
        exc = Http404()
    elif isinstance(exc, Denied):
        return Response(error_body(exc.code, exc.message), status=status.HTTP_403_FORBIDDEN)
    elif isinstance(exc, DjangoValidationError) and hasattr(exc, "code") and hasattr(exc, "message"):
        return Response(error_body(exc.code or "invalid", exc.message, getattr(exc, "field", None)),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        messages = exc.messages
        return Response(error_body("invalid", messages[0] if messages else _("Masukan tidak valid.")),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        return Response(error_body("permission_denied", str(exc) or _("Anda tidak berwenang.")),
                        status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Data tidak ditemukan."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message, code = _first(exc.detail)
        response.data = error_body(code, message, field, errors=response.data)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        response.data = error_body(code, str(detail))
    return response


# --- OpenAPI: every error a path can return -----------------------------------------------------------------
ERROR_SCHEMA = {
    "type": "object",
    "description": "Galat API: kode untuk mesin, pesan dalam bahasa Indonesia, dan nama bidang (bila ada).",
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "field": {"type": "string", "nullable": True},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["code", "detail", "field"],
}
ERROR_DESCRIPTIONS = {
    "400": "Masukan tidak sah: isi permintaan bukan JSON yang sah atau terlalu dalam, bidang salah, atau keadaan "
           "data tidak mengizinkan tindakan ini.",
    "401": "Kredensial tidak diberikan atau token tidak sah (header WWW-Authenticate: Token).",
    "403": "Anda tidak berwenang melakukan tindakan ini.",
    "404": "Data tidak ditemukan (juga bila data di luar cakupan Anda), atau halaman daftar tidak ada.",
}


def add_error_responses(result, generator, request, public, **kwargs):
    """drf-spectacular post-processing hook: give every operation the error answers it can return, in the
    project's error shape — 401 where credentials are needed, 403 everywhere else that authenticates, 404 for a
    path with an id or a paged list, 400 where a body or query parameters are read. Explicit declarations of a
    view are kept."""
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("ApiError", ERROR_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            security = operation.get("security") or [{}]
            query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
            codes = set()
            if {} not in security:
                codes |= {"401", "403"}
            if "{" in path or any(p.get("name") == "page" for p in query):
                codes.add("404")
            if "requestBody" in operation or method in ("post", "put", "patch") or \
                    any(p.get("name") != "page" for p in query):
                codes.add("400")
            for code in sorted(codes):
                operation["responses"].setdefault(code, {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
                })
    return result
