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
        from .party import importers as party_importers  # noqa: F401  (the member import)
        from .party import notices, permissions  # noqa: F401  (the party actions; its due dates, core/notices.py)

        register_converter(AreaCodeConverter, "code")  # <code:code> in every app's URLs
        gate.install(scoping)  # the kit's views, forms, API and menus ask this app's gate
        register_presence()
        register_party_presence()
        from .party import indicators

        indicators.register()


def register_presence():
    """The menu entries, home-page widgets and API routes of the orgs app (core.registry)."""
    from django.urls import reverse

    from core.registry import MenuItem, Panel, SearchBox, Widget, registry

    from . import api, widgets
    from .scoping import Action, can_anywhere

    registry.user_office = user_office
    registry.search = SearchBox(
        "orgs:area_search", _("按名称或代码搜索区划"), lambda user: can_anywhere(user, Action.VIEW)
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


def register_party_presence():
    """The party side's menu entries, area-page links and panels, record panels and home widgets."""
    from django.urls import reverse

    from core.registry import Link, MenuItem, Panel, Widget, registry

    from .party import api, widgets
    from .party.demo import fill_demo_party
    from .party.permissions import CHANGE_REPORTING, LOG_SERVICE, is_unit_account
    from .scoping import Action, can_anywhere

    def viewer(user):
        return can_anywhere(user, Action.VIEW)

    def sees_units(user):
        """Those who register units (streets, communities), watch them (organisation departments)
        or are one; a grid worker has none to see."""
        return can_anywhere(user, CHANGE_REPORTING) or can_anywhere(user, Action.MANAGE_ROLES) or is_unit_account(user)

    for label, url_name, icon, order, visible in (
        (_("党组织"), "orgs:partyorganisation_list", "flag", 30, viewer),
        (_("党员"), "orgs:partymember_list", "person-badge", 31, viewer),
        (_("组织生活"), "orgs:meeting_list", "calendar-check", 32, viewer),
        (_("报到单位"), "orgs:reportingunit_list", "building", 34, sees_units),
        (
            _("服务记录"),
            "orgs:servicerecord_list",
            "journal-check",
            35,
            lambda u: can_anywhere(u, CHANGE_REPORTING) or can_anywhere(u, LOG_SERVICE),
        ),
        (
            _("在职党员（双报到）"),
            "orgs:inservicemember_list",
            "person-raised-hand",
            33,
            lambda u: viewer(u) or can_anywhere(u, LOG_SERVICE),
        ),
    ):
        registry.add_menu_item(
            MenuItem(
                label,
                lambda user, name=url_name: reverse(name),
                visible,
                active=url_name[:-5],
                icon=icon,
                order=order,
                group=_("党建"),
            )
        )
    registry.add_demo_filler(fill_demo_party, order=50)  # before the roster, whose party heads join it
    for prefix, viewset, basename in api.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    registry.add_link(
        "orgs.area",
        Link(
            _("党组织架构"),
            lambda area: reverse("orgs:party_chart", args=[area.code]),
            lambda r, a: True,
            icon="diagram-3",
        ),
    )
    registry.add_panel("orgs.area", Panel("orgs/party/panels/area.html", widgets.area_panel, order=20))
    registry.add_panel(
        "orgs.partyorganisation", Panel("orgs/party/panels/organisation.html", widgets.organisation_panel)
    )
    registry.add_panel("orgs.partymember", Panel("orgs/party/panels/member.html", widgets.member_panel))
    registry.add_panel("orgs.meeting", Panel("orgs/party/panels/meeting.html", widgets.meeting_panel))
    registry.add_panel("orgs.reportingunit", Panel("orgs/party/panels/unit.html", widgets.unit_panel))
    registry.add_panel("orgs.inservicemember", Panel("orgs/party/panels/in_service.html", widgets.in_service_panel))
    registry.add_panel("orgs.servicerecord", Panel("orgs/party/panels/service.html", widgets.service_panel))
    registry.add_widget(
        Widget("meetings_due", "orgs/party/widgets/meetings_due.html", widgets.meetings_due, section="work", order=40)
    )
    registry.add_widget(
        Widget(
            "members_to_attend",
            "orgs/party/widgets/members_to_attend.html",
            widgets.members_to_attend,
            section="work",
            order=45,
        )
    )
    registry.add_widget(
        Widget(
            "services_to_confirm",
            "orgs/party/widgets/services_to_confirm.html",
            widgets.services_to_confirm,
            section="work",
            order=35,
        )
    )
    registry.add_widget(
        Widget(
            "idle_in_service",
            "orgs/party/widgets/idle_in_service.html",
            widgets.idle_in_service,
            section="work",
            order=50,
        )
    )
