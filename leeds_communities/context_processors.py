from django.urls import NoReverseMatch, reverse

from leeds_communities.roles import roles_of

# The header's sections; a section appears once its app provides the page.
SECTIONS = [
    ("Boards", "boards:board_list", "/boards/"),
    ("Meetings", "meetings:meeting_list", "/meetings/"),
    ("Action plans", "actionplans:index", "/actionplans/"),
    ("Neighbourhoods", "neighbourhoods:index", "/neighbourhoods/"),
    ("Dashboards", "dashboards:index", "/dashboards/"),
]


def _navigation_items(path: str) -> list[dict]:
    items = []
    for label, name, prefix in SECTIONS:
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"text": label, "href": href, "active": path.startswith(prefix)})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": _navigation_items(request.path),
        "user_roles": roles_of(user) if user is not None else [],
    }
