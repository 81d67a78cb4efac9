"""Permission backend: a user has ``workflows.act_for_position_<pk>`` on the days they act for that position.

viewflow addresses a human task to a position by storing this name as the task's ``owner_permission``; its
queue then lists the task for whoever holds or acts for the position today, so a transfer or a leave never
strands work. The answer is cached on the user object for the length of one request.
"""
from __future__ import annotations

from .acting import TODAY_CACHE_ATTR, positions_today

_CACHE_ATTR = "_pamong_position_perms"
PREFIX = "workflows.act_for_position_"


class PositionBackend:
    def authenticate(self, request, **credentials):  # this backend only answers permission questions
        return None

    def get_user(self, user_id):
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        cached = getattr(user_obj, _CACHE_ATTR, None)
        if cached is None:
            cached = {f"{PREFIX}{acting.position.pk}" for acting in positions_today(user_obj)}
            setattr(user_obj, _CACHE_ATTR, cached)
        return cached

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not perm.startswith(PREFIX):
            return False
        return perm in self.get_all_permissions(user_obj)


def forget_cached_positions(user_obj) -> None:
    """Drop the per-request caches of positions and visible units (after an assignment changes)."""
    for attr in (_CACHE_ATTR, "_pamong_visible_unit_paths", TODAY_CACHE_ATTR):
        if hasattr(user_obj, attr):
            delattr(user_obj, attr)
