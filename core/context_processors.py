"""What every page's layout needs: the navigation entries this user can use (core.registry)."""

from .registry import registry


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
        return {"menu_items": []}
    view_name = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return {
        "menu_items": [
            {
                "label": item.label,
                "url": item.url(user),
                "icon": item.icon,
                "active": bool(item.active) and view_name.startswith(item.active),
            }
            for item in registry.menu_for(user)
        ]
    }
