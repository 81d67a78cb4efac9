"""Complaints from the residents' complaint systems (SIARAN, SP4N-LAPOR!) that become repair requests.

``models`` (sources, complaints, the status outbox), ``signing`` (token and HMAC checks), ``matching`` (asset and
kelurahan of a complaint), ``clocks`` (LAPOR!'s working-day clocks), ``policy``, ``services``, ``flows`` (the
triage task), ``api`` (``POST /api/v1/complaints/``), ``views`` and ``tasks`` (outbox delivery).
"""
