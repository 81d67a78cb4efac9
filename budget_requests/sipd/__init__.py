"""File exchange with SIPD penatausahaan: versioned export of SPP/SPM, import and reconciliation of SP2D."""
