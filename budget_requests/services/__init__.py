"""Services of budget_requests: every write goes through these (see ``budget_requests/README.md``)."""
from .assets import AssetImportResult, asset_create, asset_import_csv
from .errors import RequestError
from .ledger import envelope_allocate, envelope_create, envelope_pay, envelope_release, envelope_reserve
from .payments import (
    payment_record, payment_sp2d_issue, payment_sp2d_refuse, payment_spm_issue, payment_spm_refuse,
    payment_spp_refuse, payment_spp_submit, payment_spp_verify, payment_up_spend,
)
from .requests import (
    build_route, photo_add, quote_add, request_approve, request_cancel, request_close, request_create,
    request_escalate, request_reject, request_require_visible, request_return, request_submit, request_update,
)

__all__ = [
    "AssetImportResult", "RequestError", "asset_create", "asset_import_csv", "build_route", "envelope_allocate",
    "envelope_create", "envelope_pay", "envelope_release", "envelope_reserve", "payment_record", "payment_sp2d_issue",
    "payment_sp2d_refuse", "payment_spm_issue", "payment_spm_refuse", "payment_spp_refuse", "payment_spp_submit",
    "payment_spp_verify", "payment_up_spend", "photo_add", "quote_add", "request_approve", "request_cancel",
    "request_close", "request_create", "request_escalate", "request_reject", "request_require_visible",
    "request_return", "request_submit", "request_update",
]
