"""Signals other parts of the project hook into (notifications, PDFs). Sent after the transaction commits.

``request_event``: kwargs ``request_id`` (int), ``event`` (str: submitted, resubmitted, forwarded_to_province,
step_approved, approved, returned, rejected, cancelled, paid, closed, reminded, escalated, flagged),
``actor_id`` (int | None), ``extra`` (dict).
"""
from django.dispatch import Signal

request_event = Signal()
