"""The party pages: each model's list, detail, add, edit and delete declared on the kit
(core.views.generic.ModelPages), and the few pages of their own — transfer a member, confirm a
service, the organisation chart and the meetings behind schedule."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import calendar, files
from core.calendar import Quarter
from core.views.generic import ModelPages
from orgs.scoping import can, scoped_area

from . import filters, forms, queries, tables
from .models import (
    InServiceMember,
    Meeting,
    MeetingPhoto,
    MemberTransfer,
    PartyMember,
    PartyOrganisation,
    ReportingUnit,
    ServiceRecord,
    UnitRegistration,
    counted_members,
)
from .permissions import CHANGE_PARTY, CHANGE_REPORTING, LOG_SERVICE, RECORD_MEETING, VIEW_PARTY


class PartyOrganisationPages(ModelPages):
    model = PartyOrganisation
    queryset = PartyOrganisation.objects.select_related("area__parent", "parent", "secretary").annotate(
        member_count=counted_members()
    )
    table = tables.PartyOrganisationTable
    filterset = filters.PartyOrganisationFilterSet
    form = forms.PartyOrganisationForm
    change_action = CHANGE_PARTY
    detail_fields = (
        "name",
        "kind",
        "area",
        "parent",
        "secretary",
        "founded_on",
        "term_started_on",
        "next_election_on",
        "note",
    )


class PartyMemberPages(ModelPages):
    model = PartyMember
    queryset = PartyMember.objects.select_related("organisation", "residence__parent__parent__parent")
    table = tables.PartyMemberTable
    filterset = filters.PartyMemberFilterSet
    form = forms.PartyMemberForm
    change_action = CHANGE_PARTY
    import_kind = "party_members"


class MeetingPages(ModelPages):
    model = Meeting
    queryset = Meeting.objects.select_related("organisation").with_attendance().order_by("-held_on", "-pk")
    table = tables.MeetingTable
    filterset = filters.MeetingFilterSet
    form = forms.MeetingForm
    change_action = RECORD_MEETING
    detail_fields = ("organisation", "kind", "held_on", "place", "host", "recorder", "topic", "minutes", "expected")


def with_members_in_sight(queryset, user):
    """Each unit's in-service members that `user` may see (those reporting to the user's
    communities, or all of them for the unit's own account), not those of other communities."""
    seen = (
        InServiceMember.objects.scoped(user)
        .filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(member_count=Coalesce(Subquery(seen, output_field=IntegerField()), 0))


class ReportingUnitPages(ModelPages):
    model = ReportingUnit
    queryset = ReportingUnit.objects.select_related("area")
    for_user = staticmethod(with_members_in_sight)
    table = tables.ReportingUnitTable
    filterset = filters.ReportingUnitFilterSet
    form = forms.ReportingUnitForm
    change_action = CHANGE_REPORTING
    detail_fields = ("name", "kind", "party_organisation_name", "area", "contact_name", "contact_phone")


class UnitRegistrationPages(ModelPages):
    model = UnitRegistration
    queryset = UnitRegistration.objects.select_related("unit", "community")
    table = tables.UnitRegistrationTable
    filterset = filters.UnitRegistrationFilterSet
    form = forms.UnitRegistrationForm
    change_action = CHANGE_REPORTING


def with_quarter_hours(queryset, user):
    """本季度服务时长: the quarter of the day asked (not of the day the process started)."""
    served = Q(services__served_on__gte=Quarter.current().start)
    return queryset.annotate(quarter_hours=Coalesce(Sum("services__hours", filter=served), Decimal(0)))


class InServiceMemberPages(ModelPages):
    model = InServiceMember
    queryset = InServiceMember.objects.select_related("unit", "community", "grid")
    for_user = staticmethod(with_quarter_hours)
    table = tables.InServiceMemberTable
    filterset = filters.InServiceMemberFilterSet
    form = forms.InServiceMemberForm
    change_action = CHANGE_REPORTING


class ServiceRecordPages(ModelPages):
    model = ServiceRecord
    queryset = ServiceRecord.objects.select_related("member", "member__unit", "confirmed_by")
    table = tables.ServiceRecordTable
    filterset = filters.ServiceRecordFilterSet
    form = forms.ServiceRecordForm
    change_action = LOG_SERVICE
    detail_fields = ("member", "served_on", "hours", "description", "confirmed_by", "confirmed_at")


PAGES = (
    ("party/organisations", PartyOrganisationPages),
    ("party/members", PartyMemberPages),
    ("party/meetings", MeetingPages),
    ("party/units", ReportingUnitPages),
    ("party/registrations", UnitRegistrationPages),
    ("party/in-service", InServiceMemberPages),
    ("party/services", ServiceRecordPages),
)


@login_required
def transfer_member(request, pk):
    """组织关系转接: the member's relation moves to another organisation; the transfer is kept."""
    member = get_object_or_404(PartyMember.objects.scoped(request.user, CHANGE_PARTY), pk=pk)
    form = forms.TransferForm(request.POST or None, user=request.user, member=member)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            MemberTransfer.objects.create(
                member=member,
                from_organisation=member.organisation,
                to_organisation=form.cleaned_data["to_organisation"],
                transferred_on=form.cleaned_data["transferred_on"],
                note=form.cleaned_data["note"],
            )
            member.organisation = form.cleaned_data["to_organisation"]
            member.save(update_fields=["organisation"])
        messages.success(
            request, _("已将{name}的组织关系转入{organisation}。").format(name=member, organisation=member.organisation)
        )
        if PartyMember.objects.scoped(request.user).filter(pk=member.pk).exists():
            return redirect(member)
        return redirect("party:partymember_list")  # transferred beyond the user's scope
    return render(
        request,
        "party/transfer.html",
        {"member": member, "form": form, "title": _("转接组织关系"), "cancel_url": member.get_absolute_url()},
    )


@login_required
@require_POST
def confirm_service(request, pk):
    """The community confirms an in-service member's service."""
    record = get_object_or_404(ServiceRecord.objects.scoped(request.user, CHANGE_REPORTING), pk=pk)
    if record.confirmed_at is None:
        record.confirmed_by, record.confirmed_at = request.user, timezone.now()
        record.save(update_fields=["confirmed_by", "confirmed_at"])
        messages.success(request, _("已确认该服务记录：{record}。").format(record=record))
    following = request.POST.get("next", "")  # back to the home page's queue, when confirmed from there
    if following and url_has_allowed_host_and_scheme(following, {request.get_host()}, request.is_secure()):
        return redirect(following)
    return redirect(record)


@login_required
def meeting_photo(request, pk):
    """A meeting's photo, to those who may see the meeting (shown in its page, not downloaded)."""
    photo = get_object_or_404(MeetingPhoto.objects.filter(meeting__in=Meeting.objects.scoped(request.user)), pk=pk)
    response = files.serve(photo.file, photo.name)
    if request.GET.get("download") != "1":
        response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    return response


@login_required
def reopen_service(request, pk):
    """The community reopens a service it confirmed, so that it may be corrected (asks first); the
    change history keeps who reopened it and when."""
    record = get_object_or_404(
        ServiceRecord.objects.scoped(request.user, CHANGE_REPORTING).select_related("member", "confirmed_by"), pk=pk
    )
    if record.confirmed_at is None:
        return redirect(record)
    if request.method == "POST":
        record.confirmed_by, record.confirmed_at = None, None
        record.save(update_fields=["confirmed_by", "confirmed_at"])
        messages.success(request, _("已取消确认，该服务记录可以更正了；更正后请重新确认。"))
        return redirect(record)
    return render(
        request,
        "generic/confirm.html",
        {
            "title": _("取消确认服务记录"),
            "breadcrumb": record.breadcrumb(),
            "question": _(
                "“{record}”已由{who}于{when}确认。取消确认后，登记人可以更正或删除它，它也不再计入服务率，直到社区重新确认。"
            ).format(
                record=record,
                who=record.confirmed_by or _("社区"),
                when=timezone.localtime(record.confirmed_at).strftime("%Y-%m-%d %H:%M"),
            ),
            "confirm_label": _("取消确认"),
            "danger": True,
            "cancel_url": record.get_absolute_url(),
        },
    )


@login_required
def organisation_chart(request, code):
    """The party organisations of an area's subtree, drawn as a tree."""
    area = scoped_area(request, code, VIEW_PARTY)
    tree, shallow = queries.chart(area, request.user)
    return render(
        request,
        "party/chart.html",
        {
            "area": area,
            "breadcrumb": area.breadcrumb(),
            "chart": tree,
            "shallow": shallow,
            "can_add": can(request.user, CHANGE_PARTY, area),
        },
    )


@login_required
def party_summary(request, code):
    """The figures of the area page's 党建 panel (loaded by htmx): a fixed number of queries."""
    area = scoped_area(request, code, VIEW_PARTY)
    return render(request, "party/summary.html", {"area": area, "figures": queries.area_figures(area, request.user)})


@login_required
def meeting_schedule(request, code):
    """Which organisations of an area's subtree held fewer meetings than required in a quarter (the
    last one by default, or `?period=2026Q3` for any; `?quarter=2026-3`, in links already in use,
    still reads)."""
    area = scoped_area(request, code, VIEW_PARTY)
    today = timezone.localdate()
    asked, raw = calendar.asked(request.GET, Quarter, legacy=("quarter",), today=today)
    if raw and asked is None:
        messages.error(
            request, _("无法识别的季度“{quarter}”，已显示上一季度。季度请写作“2026Q3”。").format(quarter=raw[:20])
        )
    quarter = asked or Quarter.current(today).previous()
    behind = queries.shortfalls(queries.organisations_under(area, request.user), quarter.start, quarter.end)
    page = Paginator(behind, 50).get_page(request.GET.get("page"))
    quarters = [Quarter.current(today).shifted(-n) for n in range(queries.SCHEDULE_QUARTERS)]
    return render(
        request,
        "party/schedule.html",
        {
            "area": area,
            "breadcrumb": area.breadcrumb(),
            "page_obj": page,
            "paginator": page.paginator,
            "quarter": quarter.label,
            "quarters": [(shown.key, shown.label) for shown in quarters],
            "chosen": quarter.key,
            "query_name": calendar.QUERY,
            "under_way": quarter.under_way(today),
            "behind_count": sum(1 for shortfall in behind if shortfall.behind),
            "can_record": can(request.user, RECORD_MEETING, area),
        },
    )
