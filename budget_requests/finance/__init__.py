"""Finance tracking for IT-repair spending (issue 5): selectors, dashboard, exports, what-if, transparency.

Every figure on the dashboard, in the exports, in the monthly PDF and in the API comes from
``budget_requests.finance.selectors``; the delegation what-if replays requests through the live
``budget_requests.routing.compute_route`` and ``budget_requests.redflags`` core (``whatif``).
"""
