"""Services of budget_requests: every write goes through these (see ``budget_requests/README.md``)."""
from .assets import AssetImportResult, asset_create, asset_import_csv
from .errors import RequestError
from .ledger import envelope_allocate, envelope_create, envelope_pay, envelope_release, envelope_reserve
from .requests import (
    build_route, photo_add, quote_add, request_approve, request_cancel, request_close, request_create,
    request_escalate, request_pay, request_reject, request_require_visible, request_return, request_submit,
    request_update,
)

__all__ = [
    "AssetImportResult", "RequestError", "asset_create", "asset_import_csv", "build_route", "envelope_allocate",
    "envelope_create", "envelope_pay", "envelope_release", "envelope_reserve", "photo_add", "quote_add",
    "request_approve", "request_cancel", "request_close", "request_create", "request_escalate", "request_pay",
    "request_reject", "request_require_visible", "request_return", "request_submit", "request_update",
]
