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
