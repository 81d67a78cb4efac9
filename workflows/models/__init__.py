from .audit import SEAL_STREAM, AuditEvent, AuditStreamHead, AuditStreamSeal
from .calendar import DayKind, LegalDeadline, NonWorkingDay, NonWorkingDayKind, WorkingDayOverride
from .documents import GeneratedDocument, GeneratedDocumentStatus
from .health import WorkerHeartbeat
from .notification import Notification
from .signing import SignedDocument, SigningIdentity
from .org import Assignment, Capacity, OrgUnit, OrgUnitKind, Position, PositionKind, User

__all__ = [
    "Assignment",
    "AuditEvent",
    "AuditStreamHead",
    "AuditStreamSeal",
    "Capacity",
    "DayKind",
    "GeneratedDocument",
    "GeneratedDocumentStatus",
    "LegalDeadline",
    "NonWorkingDay",
    "NonWorkingDayKind",
    "Notification",
    "WorkingDayOverride",
    "OrgUnit",
    "OrgUnitKind",
    "Position",
    "PositionKind",
    "SEAL_STREAM",
    "SignedDocument",
    "SigningIdentity",
    "User",
    "WorkerHeartbeat",
]
