"""Context of the app shell for every template (login page included).

Values about the user are callables: the template engine calls them only when a page shows them, so the
login page and error pages run no query, and the answer is cached on the request (``workflows.home``).
"""
from django.conf import settings
from django.utils.translation import gettext


def _reverse_or_none(name: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _flow_menu(request):
    from .home import available_flows, home_links
    from .site import workflow_app

    app = workflow_app()
    if app is None or not request.user.is_authenticated:
        return []
    visible = set(available_flows(request))
    # A flow whose own pages are already a role link (same title, or its scoped list) is listed once, as the
    # role link; viewflow's flow pages stay in the menu for administrators.
    taken_labels, taken_urls = set(), set()
    if not request.user.is_staff:
        for link in home_links(request):
            taken_labels.add(link.label.strip().casefold())
            taken_urls.add(link.url)
    items = []
    for viewset in app.viewsets:
        for flow_viewset in getattr(viewset, "viewsets", None) or []:
            flow_class = getattr(flow_viewset, "_flow_class", None)
            if flow_class is None or flow_class not in visible:
                continue
            try:
                url = flow_viewset.reverse("index")
            except Exception:  # a flow that is not mounted has no menu entry
                continue
            # process_title is often a plain str declared with gettext_noop or in Indonesian: translate here.
            title = gettext(str(flow_class.process_title))
            scoped = getattr(flow_class, "scoped_list_url_name", None)
            if title.strip().casefold() in taken_labels or (scoped and _reverse_or_none(scoped) in taken_urls):
                continue
            items.append({"title": title, "url": url, "icon": getattr(flow_class, "icon", "assignment")})
    return items


def _unread(request) -> int:
    from .services.notify import unread_notification_count

    return unread_notification_count(request.user)


def pamong(request):
    """Product and city name, the viewflow site, and the user's capacities, task counts and role links."""
    from . import home
    from .region import current_region
    from .site import current_site, workflow_app

    region = current_region()
    context = {
        "PAMONG_CITY_NAME": region.full_name,
        "PAMONG_REGION": region,
        "PAMONG_PRODUCT_NAME": "Pamong",
        "pamong_site": current_site(),
        "pamong_workflow_app": workflow_app(),
    }
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        context.update(
            pamong_capacities=lambda: home.capacity_labels(request),
            pamong_counts=lambda: home.task_counts(request),
            pamong_links=lambda: home.home_links(request),
            pamong_flow_menu=lambda: home._cached(request, "flow_menu", lambda: _flow_menu(request)),
            pamong_unread=lambda: home._cached(request, "unread", lambda: _unread(request)),
        )
    return context
