"""A renderer module with no ``can_view`` hook (test helper): only superusers may download its documents."""


def render(obj) -> str:
    return f"<p>{obj.pk}</p>"
