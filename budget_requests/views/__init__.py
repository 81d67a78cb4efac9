"""Web pages of budget_requests: request list/new/detail/actions/edit, envelopes, assets, red flags.

Every write goes through ``budget_requests.services``; these views parse forms, call one service, and map
``RequestError`` to the form re-shown with the user's input (400) and ``Denied`` to a 403 page (the service has
already written the ``repair_request.denied`` audit event).
"""
