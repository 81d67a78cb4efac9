from .audit import SEAL_STREAM, AuditEvent
from .health import WorkerHeartbeat
from .org import Assignment, Capacity, OrgUnit, OrgUnitKind, Position, PositionKind, User

__all__ = [
    "Assignment",
    "AuditEvent",
    "Capacity",
    "OrgUnit",
    "OrgUnitKind",
    "Position",
    "PositionKind",
    "SEAL_STREAM",
    "User",
    "WorkerHeartbeat",
]
