"""Re-export: the error class lives in ``budget_requests.errors`` so the policy can raise it too."""
from ..errors import RequestError

__all__ = ["RequestError"]
