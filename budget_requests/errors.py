"""Errors the services raise for bad input or a refused business rule (not an authority refusal: that is
``workflows.policy.Denied``). Views map ``RequestError`` to 400 with ``code``/``message``/``field``."""
from __future__ import annotations

from django.core.exceptions import ValidationError


class RequestError(ValidationError):
    """A refused input or operation with a machine-readable code and an Indonesian message."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(str(message), code=code)
        self.code = code
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}
