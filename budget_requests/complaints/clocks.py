"""SP4N-LAPOR!'s working-day clocks on a complaint's triage, counted by ``workflows.calendar``.

Two ``workflows.LegalDeadline`` rows (data, seeded by migration, marked "perlu dikonfirmasi"):

* ``pengaduan-penerusan`` — 3 working days to verify a complaint and pass it to the unit that must act
  (LAPOR!'s verification-and-disposition window);
* ``pengaduan-tindak-lanjut`` — 5 working days for the agency to coordinate internally and state its follow-up
  (tindak lanjut) to the reporter.

Basis: Perpres 76/2013 (Pengelolaan Pengaduan Pelayanan Publik, SP4N), Permenpan-RB 62/2018 (Pedoman Nasional
Pengelolaan Pengaduan Pelayanan Publik) and LAPOR!'s own procedure as published by its operators; the exact
articles are to be confirmed against the official texts. Both clocks start when the complaint reaches the city
(for LAPOR! that is its disposition to the city; to confirm).

The triage task's timer uses them in turn, like a repair step's response time: overdue past the first, the
task is escalated to the next level; overdue past the second, one level higher; after that a reminder every
working day. A due date ends at the close of office hours on the last working day.
"""
from __future__ import annotations

import datetime as dt

from workflows.calendar import add_working_days, deadline_due, office_hours

FORWARD_CODE = "pengaduan-penerusan"
FOLLOW_UP_CODE = "pengaduan-tindak-lanjut"
# The clock that applies at each escalation level; past the last one, a reminder every working day.
CLOCK_BY_LEVEL = (FORWARD_CODE, FOLLOW_UP_CODE)


def _closing(day: dt.date) -> dt.datetime:
    hours = office_hours()
    return dt.datetime.combine(day, hours.end, tzinfo=hours.tz)


def clock_due_date(code: str, received_at: dt.datetime) -> dt.date:
    """The last working day of the clock ``code`` for a complaint received at ``received_at``."""
    return deadline_due(code, received_at)


def triage_due(*, received_at: dt.datetime, level: int, now: dt.datetime) -> dt.datetime:
    """When the triage task at escalation ``level`` is overdue (office closing time of the due day)."""
    if level < len(CLOCK_BY_LEVEL):
        return _closing(clock_due_date(CLOCK_BY_LEVEL[level], received_at))
    return _closing(add_working_days(now, 1))
