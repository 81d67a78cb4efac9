from .org import Assignment, Capacity, OrgUnit, OrgUnitKind, Position, PositionKind, User

__all__ = [
    "Assignment",
    "Capacity",
    "OrgUnit",
    "OrgUnitKind",
    "Position",
    "PositionKind",
    "User",
]
