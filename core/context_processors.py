"""What every page's layout needs: the navigation entries this user can use (core.registry) and the
count of the user's unread notices; the release, for the footer."""

from django.urls import reverse

from jiceng import __version__

from .registry import registry


def release(request):
    """The release running (jiceng.__version__), for the footer."""
    return {"release": __version__}


def navigation(request):
    """Computed once per request: widgets, panels and table cells rendered with the request run
    the context processors again."""
    cached = getattr(request, "_jiceng_navigation", None)
    if cached is None:
        cached = request._jiceng_navigation = menu(request)
    return cached


def menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu_items": [], "account_items": [], "search_box": None, "user_office": ""}
    view_name = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    search = registry.search
    office = registry.user_office(user) if registry.user_office is not None else ""
    entries = [
        {
            "label": item.label,
            "url": item.url(user),
            "icon": item.icon,
            "active": bool(item.active) and view_name.startswith(item.active),
            "group": item.group,
            "section": item.section,
            "place": item.place,
        }
        for item in registry.menu_for(user)
    ]
    return {
        "user_office": office,
        "search_box": {
            "url": reverse(search.url_name),
            "placeholder": search.placeholder,
            "query": request.GET.get("q", "") if view_name == search.url_name else "",
        }
        if search is not None and search.visible(user)
        else None,
        "menu_items": grouped([entry for entry in entries if entry["place"] == "bar"]),
        "account_items": [entry for entry in entries if entry["place"] == "account"],
    }


def grouped(entries):
    """Entries of one group become one entry with `children` (a dropdown), where the first was. When
    its entries name sections, the group also has `sections` (label and children, in the order each
    section first appears): one dropdown with a heading per section keeps a menu of many pages on one
    line at 1366 px, where a dropdown per section would not."""
    result, groups = [], {}
    for entry in entries:
        if not entry["group"]:
            result.append(entry)
            continue
        group = groups.get(entry["group"])
        if group is None:
            group = groups[entry["group"]] = {"label": entry["group"], "icon": "", "children": [], "active": False}
            result.append(group)
        group["children"].append(entry)
        group["active"] = group["active"] or entry["active"]
    for group in groups.values():
        if any(child.get("section") for child in group["children"]):
            sections = {}
            for child in group["children"]:
                sections.setdefault(child.get("section") or "", []).append(child)
            group["sections"] = [{"label": label, "children": children} for label, children in sections.items()]
    return result


def notices(request):
    """The menu bar's count of unread notices: one query, asked only when a page's layout shows it
    (a callable the template calls; fragments, widgets and cells never do) and once a request."""
    user = getattr(request, "user", None)

    def unread():
        cached = getattr(request, "_jiceng_unread_notices", None)
        if cached is None:
            from .notices import unread_count

            cached = request._jiceng_unread_notices = unread_count(user) if user is not None else 0
        return cached

    return {"unread_notices": unread}
