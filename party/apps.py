from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "party"
    verbose_name = _("党建")

    def ready(self):
        from . import (
            importers,  # noqa: F401  (the member import)
            indicators,
            notices,  # noqa: F401  (the party's due dates, core/notices.py)
            permissions,  # noqa: F401  (the party actions)
        )

        register_presence()
        indicators.register()


def register_presence():
    """The party's menu entries, area-page links and panels, record panels, home widgets, API
    routes, demo data and the reporting units' accounts in user management (core.registry)."""
    from django.urls import reverse

    from core.registry import AccountKind, Link, MenuItem, Panel, Searchable, Widget, registry
    from orgs.scoping import Action, can, can_anywhere

    from . import api, tallies, widgets
    from .demo import fill_demo_party, fill_demo_unit_account

    for tally in tallies.TALLIES:
        registry.add_tally(tally)
    from .models import PartyMember, PartyOrganisation, ReportingUnit
    from .permissions import CHANGE_REPORTING, LOG_SERVICE, VIEW_PARTY, is_unit_account

    def viewer(user):
        return can_anywhere(user, VIEW_PARTY)

    def sees_units(user):
        """Those who register units (streets, communities), watch them (organisation departments)
        or are one; a grid worker has none to see."""
        return can_anywhere(user, CHANGE_REPORTING) or can_anywhere(user, Action.MANAGE_ROLES) or is_unit_account(user)

    for label, url_name, icon, order, visible in (
        (_("党组织"), "party:partyorganisation_list", "flag", 30, viewer),
        (_("党员"), "party:partymember_list", "person-badge", 31, viewer),
        (_("组织生活"), "party:meeting_list", "calendar-check", 32, viewer),
        (_("报到单位"), "party:reportingunit_list", "building", 34, sees_units),
        (
            _("服务记录"),
            "party:servicerecord_list",
            "journal-check",
            35,
            lambda u: can_anywhere(u, CHANGE_REPORTING) or can_anywhere(u, LOG_SERVICE),
        ),
        (
            _("在职党员（双报到）"),
            "party:inservicemember_list",
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
    registry.add_demo_filler(fill_demo_unit_account, order=60)  # the demo's unit account (danwei), on its unit
    registry.add_account_kind(
        AccountKind(
            key="unit_account",
            field="unit",
            label=_("报到单位账号"),
            field_label=_("报到单位"),
            help_text=_("该账号只能查看本单位的在职党员并登记其服务。"),
            required_error=_("请选择该账号所属的报到单位。"),
            records=lambda granter: ReportingUnit.objects.scoped(granter, Action.MANAGE_ROLES).order_by("name"),
            attach=lambda user, unit: unit.users.add(user),
            held=reporting_units_of,
        )
    )
    # The menu bar's search (core.search) finds organisations by name and members by name or ID
    # number (whole, or as the portal masks it), in the user's scope.
    registry.add_searchable(Searchable(PartyOrganisation, detail=lambda o: o.area.name, related=("area",), order=30))
    registry.add_searchable(
        Searchable(
            PartyMember,
            id_numbers=("id_number",),
            detail=lambda m: m.organisation.name,
            related=("organisation",),
            order=31,
        )
    )
    for prefix, viewset, basename in api.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    registry.add_link(
        "orgs.area",
        Link(
            _("党组织架构"),
            lambda area: reverse("party:party_chart", args=[area.code]),
            lambda request, area: can(request.user, VIEW_PARTY, area),
            icon="diagram-3",
        ),
    )
    registry.add_panel("orgs.area", Panel("party/panels/area.html", widgets.area_panel, order=20))
    registry.add_panel("party.partyorganisation", Panel("party/panels/organisation.html", widgets.organisation_panel))
    registry.add_panel("party.partymember", Panel("party/panels/member.html", widgets.member_panel))
    registry.add_panel("party.meeting", Panel("party/panels/meeting.html", widgets.meeting_panel))
    registry.add_panel("party.reportingunit", Panel("party/panels/unit.html", widgets.unit_panel))
    registry.add_panel("party.inservicemember", Panel("party/panels/in_service.html", widgets.in_service_panel))
    registry.add_panel("party.servicerecord", Panel("party/panels/service.html", widgets.service_panel))
    # A reporting unit's account has no area: its card stands where the scope's would (orgs leaves it out).
    registry.add_widget(
        Widget("unit_account", "party/widgets/unit_account.html", widgets.unit_account, section="work", order=10)
    )
    registry.add_widget(
        Widget("meetings_due", "party/widgets/meetings_due.html", widgets.meetings_due, section="work", order=40)
    )
    registry.add_widget(
        Widget(
            "members_to_attend",
            "party/widgets/members_to_attend.html",
            widgets.members_to_attend,
            section="work",
            order=45,
        )
    )
    # Lists of a street's in-service members and their services, sorted and counted: loaded after
    # the page (core.registry.Widget.lazy), so that the page does not wait for them.
    registry.add_widget(
        Widget(
            "services_to_confirm",
            "party/widgets/services_to_confirm.html",
            widgets.services_to_confirm,
            section="work",
            order=35,
            lazy=True,
            visible=lambda request: can_anywhere(request.user, CHANGE_REPORTING),
        )
    )
    registry.add_widget(
        Widget(
            "idle_in_service",
            "party/widgets/idle_in_service.html",
            widgets.idle_in_service,
            section="work",
            order=50,
            lazy=True,
            visible=lambda request: can_anywhere(request.user, LOG_SERVICE),
        )
    )


def reporting_units_of(user_ids):
    """{user id: [the reporting units the user is the account of]}, in one query."""
    from .models import ReportingUnit

    held = {}
    through = ReportingUnit.users.through
    rows = through.objects.filter(user_id__in=list(user_ids)).select_related("reportingunit")
    for row in rows.order_by("reportingunit__name"):
        held.setdefault(row.user_id, []).append(row.reportingunit)
    return held
