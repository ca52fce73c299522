from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("区划与组织")

    def ready(self):
        from django.urls import register_converter

        from core import gate

        from . import importers, scoping  # noqa: F401  (importers registers the area importer)
        from .converters import AreaCodeConverter

        register_converter(AreaCodeConverter, "code")  # <code:code> in every app's URLs
        gate.install(scoping)  # the kit's views, forms, API and menus ask this app's gate
        register_presence()


def register_presence():
    """The menu entries, home-page widgets and API routes of the orgs app (core.registry)."""
    from django.urls import reverse

    from core.registry import MenuItem, Panel, Searchable, SearchBox, Widget, registry

    from . import api, widgets
    from .models import Area, Department
    from .scoping import Action, can_anywhere, within_sql

    registry.user_office = user_office
    registry.subtree_sql = within_sql  # the kit's tallies sum a subtree as the tree spells it
    from .tallies import TALLIES

    for tally in TALLIES:
        registry.add_tally(tally)
    # The menu bar's search (core.search) finds every registered record: areas by name or code
    # (a code finds its subtree), departments by name or short name; apps register theirs.
    registry.search = SearchBox("core:search", _("名称、代码或身份证号"), lambda user: can_anywhere(user, Action.VIEW))
    registry.add_searchable(
        Searchable(
            Area,
            codes=("code",),
            detail=lambda area: area.get_level_display() + (f" · {area.parent.name}" if area.parent else ""),
            related=("parent",),
            order=10,
        )
    )
    registry.add_searchable(
        Searchable(Department, names=("name", "short_name"), detail=lambda d: d.area.name, related=("area",), order=20)
    )
    registry.add_menu_item(
        MenuItem(
            _("区划"),
            lambda user: reverse("orgs:area_list"),
            lambda user: can_anywhere(user, Action.VIEW),
            active="orgs:area",
            order=10,
        )
    )
    registry.add_menu_item(
        MenuItem(
            _("职能部门"),
            lambda user: reverse("orgs:department_list"),
            lambda user: can_anywhere(user, Action.MANAGE_DEPARTMENTS),
            active="orgs:department",
            order=75,
        )
    )
    registry.add_menu_item(
        MenuItem(
            _("用户"),
            lambda user: reverse("orgs:user_list"),
            lambda user: can_anywhere(user, Action.MANAGE_ROLES),
            active="orgs:user",
            order=80,
        )
    )
    registry.add_menu_item(
        MenuItem(
            _("接口文档"),
            lambda user: reverse("api-docs"),
            lambda user: can_anywhere(user, Action.READ_API_DOCS),
            order=90,
        )
    )
    registry.add_panel("orgs.department", Panel("orgs/panels/department.html", widgets.department_panel))
    registry.add_widget(Widget("scope", "orgs/widgets/scope.html", widgets.scope, section="work", order=10))
    registry.add_widget(
        Widget("area_figures", "orgs/widgets/area_figures.html", widgets.area_figures, section="dashboard")
    )
    registry.add_widget(
        Widget("area_changes", "orgs/widgets/area_changes.html", widgets.area_changes, section="changes")
    )
    registry.add_api_route("areas", api.AreaViewSet, "area")
    registry.add_api_route("role-assignments", api.RoleAssignmentViewSet, "roleassignment")
    registry.add_api_route("departments", api.DepartmentViewSet, "department")


def user_office(user):
    """The menu bar's office beside the user's name: 朝阳区委组织部, or 朝阳区住建局 等2个 when several."""
    from .scoping import user_offices

    if user.is_superuser:
        return _("系统管理员")
    offices = user_offices(user)
    if len(offices) > 1:
        return _("{office}等{count}个").format(office=offices[0], count=len(offices))
    return offices[0] if offices else ""
