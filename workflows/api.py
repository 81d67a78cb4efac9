"""Project-wide REST API conventions (DRF): one JSON shape for every error.

``{"code": "<machine-readable>", "detail": "<Indonesian message>", "field": "<field name or null>"}`` and, for
input errors with several fields, ``"errors": {field: [messages]}``.

* an app's input error — a Django ``ValidationError`` carrying ``code``/``message`` and optionally ``field``
  attributes (e.g. ``budget_requests.errors.RequestError``) — answers 400;
* ``workflows.policy.Denied`` (and any Django ``PermissionDenied``) answers 403 with its code;
* DRF's own errors (validation, authentication, not found, throttling) keep their status and get the shape.

Set ``REST_FRAMEWORK["EXCEPTION_HANDLER"] = "workflows.api.exception_handler"``.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .policy import Denied


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
    if isinstance(exc, Denied):
        return Response(error_body(exc.code, exc.message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError) and hasattr(exc, "code") and hasattr(exc, "message"):
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
