"""REST API of budget_requests under ``/api/v1/`` (DRF + drf-spectacular): repair-requests, envelopes, assets.

Same services and policy as the web forms; errors through ``workflows.api.exception_handler``.
"""
