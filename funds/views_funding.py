"""经费's pages: allocations, expenditures (with their approval as declared steps) and notices (with
their publishing) on the kit (ModelPages); a voucher served to who reads its expenditure; the area
page's 经费 card (loaded after the page); and the public notice, readable without logging in."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import files
from core.transitions import RecordTransitionView
from core.views.generic import ModelPages
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import can, scoped_area

from . import filters_funding as filters
from . import forms_funding as forms
from . import tables_funding as tables
from .funding_flow import EXPENDITURES, NOTICES
from .models_funding import Allocation, Expenditure, ExpenditureStatus, FundNotice, NoticeStatus
from .permissions import KEEP_ALLOCATIONS, PUBLISH_NOTICE, RECORD_EXPENDITURE

GROUP = gettext_lazy("项目与经费")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def with_balance(queryset):
    """Allocations with what is committed against them (not rejected) and what is left, summed in SQL."""
    committed = Coalesce(
        Sum("expenditures__amount", filter=~Q(expenditures__status=ExpenditureStatus.REJECTED)),
        Value(0, output_field=MONEY),
        output_field=MONEY,
    )
    return queryset.annotate(committed=committed).annotate(
        balance_left=ExpressionWrapper(F("amount") - F("committed"), output_field=MONEY)
    )


class AllocationPages(ModelPages):
    model = Allocation
    queryset = Allocation.objects.select_related("area").order_by("-year", "area__code", "fund_type")
    for_user = staticmethod(lambda queryset, user: with_balance(queryset))  # the list's 已用 and 余额, in SQL
    table = tables.AllocationTable
    filterset = filters.AllocationFilterSet
    form = forms.AllocationForm
    change_action = KEEP_ALLOCATIONS
    detail_fields = (
        "area",
        "year",
        "fund_type",
        "source",
        "amount",
        "allocated_on",
        "note",
    )
    import_kind = "funds_allocations"
    menu = {"group": GROUP, "order": 80, "icon": "cash-stack", "label": gettext_lazy("经费拨付")}


class ExpenditureStepView(RecordTransitionView):
    """审批通过 / 退回 with the voucher a link away: the street checks it before money leaves."""

    def subject(self, request, pk):
        subject = super().subject(request, pk)
        record = subject.area  # the expenditure itself (a record's step is asked on the record)
        if record.voucher:
            subject.review = reverse("funds:expenditure_voucher", args=[record.pk])
            subject.review_label = _("先查看凭证（{name}）").format(name=record.voucher_name or _("凭证"))
        return subject


class ExpenditurePages(ModelPages):
    model = Expenditure
    queryset = Expenditure.objects.select_related("area", "allocation", "project")
    table = tables.ExpenditureTable
    filterset = filters.ExpenditureFilterSet
    form = forms.ExpenditureForm
    change_action = RECORD_EXPENDITURE
    detail_fields = (
        "area",
        "allocation",
        "project",
        "amount",
        "spent_on",
        "purpose",
        "voucher_name",
        "status",
        "reason",
        "by",
        "at",
    )
    transitions = EXPENDITURES
    import_kind = "funds_expenditures"
    menu = {"group": GROUP, "order": 81, "icon": "wallet2", "label": gettext_lazy("经费支出")}

    transition_view = ExpenditureStepView  # its confirmation links the voucher


class FundNoticePages(ModelPages):
    model = FundNotice
    queryset = FundNotice.objects.select_related("area")
    table = tables.FundNoticeTable
    filterset = filters.FundNoticeFilterSet
    form = forms.FundNoticeForm
    change_action = PUBLISH_NOTICE
    detail_fields = ("area", "year", "title", "note", "status", "published_at", "by")
    transitions = NOTICES
    api = "fund-notices"
    menu = {"group": GROUP, "order": 82, "icon": "megaphone", "label": gettext_lazy("经费公示")}


PAGES = (
    ("funds/allocations", AllocationPages),
    ("funds/expenditures", ExpenditurePages),
    ("funds/notices", FundNoticePages),
)


@login_required
def voucher(request, pk):
    """An expenditure's voucher, to who reads the expenditure (404 otherwise)."""
    expenditure = get_object_or_404(Expenditure.objects.scoped(request.user), pk=pk)
    if not expenditure.voucher:
        raise Http404
    return files.serve(expenditure.voucher, expenditure.voucher_name or expenditure.voucher.name.rsplit("/", 1)[-1])


@login_required
def area_panel(request, code):
    """The area page's 经费 card (htmx): the year's money under the area by type, its execution rate
    for the year so far and the quarter, and for a community its types below the minimum and its
    public notice; nothing (the card's place goes) for who reads no funds there."""
    from .widgets_funding import area_figures

    area = scoped_area(request, code)
    context = area_figures(request.user, area)
    if context is None:
        from django.http import HttpResponse

        return HttpResponse("")
    return render(request, "funds/funding/area_panel.html", {**context, "object": area})


def allocation_panel(request, allocation):
    """An allocation's page: what is spent from it and what is left, and its latest expenditures."""
    committed = allocation.committed()
    rows = list(allocation.expenditures.select_related("project").order_by("-spent_on", "-pk")[:20])
    return {
        "allocation": allocation,
        "committed_text": f"{committed:,.2f}",
        "balance_text": f"{allocation.amount - committed:,.2f}",
        "rows": rows,
        "add_url": reverse("funds:expenditure_add") + f"?allocation={allocation.pk}",
        "list_url": reverse("funds:expenditure_list") + f"?within={allocation.area.code}&year={allocation.year}",
        "may_add": can(request.user, RECORD_EXPENDITURE, allocation.area),
    }


# --- the public notice (公示): no login, nothing unpublished, nobody's name -------------------------


def published(area):
    return FundNotice.objects.filter(area=area, status=NoticeStatus.PUBLISHED).order_by("-published_at", "-pk")


def total_balance(content):
    """What is left of the year's money on a notice: its allocations less its spending (a snapshot
    keeps both totals as text)."""
    try:
        return Decimal(content.get("total_allocated") or 0) - Decimal(content.get("total_spent") or 0)
    except (ArithmeticError, TypeError, ValueError):
        return None


def public_notice(request, code, pk=None):
    """A community's latest published notice (or the one asked for), the list of its earlier ones with
    their dates and what changed since the one before; printable on one A4 sheet. A code that is not
    a community's, or a community without a published notice, is 404."""
    area = get_object_or_404(
        Area.objects.only("pk", "code", "name", "level", "parent__name", "parent__code").select_related("parent"),
        code=code,
        level=AreaLevel.COMMUNITY,
    )
    notices = list(
        published(area).only("pk", "title", "year", "published_at", "snapshot", "changes", "note", "area_id")
    )
    if not notices:
        raise Http404
    notice = notices[0] if pk is None else next((n for n in notices if n.pk == pk), None)
    if notice is None:
        raise Http404
    return render(
        request,
        "funds/funding/public_notice.html",
        {
            "area": area,
            "notice": notice,
            "content": notice.snapshot,
            "total_balance": total_balance(notice.snapshot),
            "earlier": [n for n in notices if n.pk != notice.pk],
            "latest": notices[0],
        },
    )


urlpatterns = [
    path("funds/expenditures/<int:pk>/voucher/", voucher, name="expenditure_voucher"),
    path("areas/<code:code>/funds/", area_panel, name="funding_area_panel"),
    path("public/funds/<code:code>/", public_notice, name="public_notice"),
    path("public/funds/<code:code>/<int:pk>/", public_notice, name="public_notice_at"),
]
