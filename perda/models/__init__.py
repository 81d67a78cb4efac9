from .document import (
    DasarHukum,
    DasarHukumRank,
    EvaluasiKind,
    Konsiderans,
    Provision,
    ProvisionKind,
    ProvisionRole,
    Regulation,
    RegulationKind,
    Version,
)

__all__ = [
    "DasarHukum",
    "DasarHukumRank",
    "EvaluasiKind",
    "Konsiderans",
    "Provision",
    "ProvisionKind",
    "ProvisionRole",
    "Regulation",
    "RegulationKind",
    "Version",
]
from .formation import Consultation, DeadlineNotice, Disposition, Formation, NoticeKind, PublicComment, StageRecord  # noqa: F401
from .amendment import Amendment, AmendmentSource  # noqa: F401
