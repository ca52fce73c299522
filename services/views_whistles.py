"""吹哨报到's pages: the whistles and the departments' responses on the kit (ModelPages), the
responses' declared steps — 报到 as the kit's confirmation, 办结 with its report and evidence,
核验评分 with its scores (each a RecordTransitionView with its form) — the evidence served to who
reads the response, and the quarterly ranking of departments (sorted, exported, printable)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import files
from core.calendar import Quarter, parse
from core.transitions import UNSEEN, RecordTransitionView
from core.views.generic import ModelPages, ObjectDetailView, ObjectListView
from orgs.models import Department

from . import filters_whistles as filters
from . import forms_whistles as forms
from . import tables_whistles as tables
from . import whistles
from .models_whistles import OPEN_STATES, Whistle, WhistleResponse
from .permissions import BLOW_WHISTLE

GROUP = gettext_lazy("服务")


class WhistlePages(ModelPages):
    model = Whistle
    queryset = (
        Whistle.objects.select_related("area", "kind")
        .annotate(
            response_count=Count("responses"),
            open_count=Count("responses", filter=Q(responses__status__in=OPEN_STATES)),
        )
        .order_by("-blown_at", "-pk")
    )
    table = tables.WhistleTable
    filterset = filters.WhistleFilterSet
    form = forms.WhistleForm
    change_action = BLOW_WHISTLE
    detail_fields = ("title", "kind", "area", "description", "deadline", "subject_label", "blown_by", "blown_at")
    menu = {"group": GROUP, "order": 72, "icon": "megaphone", "label": gettext_lazy("吹哨报到")}


class ResponseStepView(RecordTransitionView):
    """A step with a form of its own (办结, 核验评分): the form on the confirmation page; confirming
    takes the step with what it holds (services/whistles.py)."""

    form_class = None
    step = None  # (response, user, seen=, subject=, **cleaned) → the record

    def make_form(self, request, record):
        raise NotImplementedError

    def get(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        record = self.machine.record(subject.key)
        refusal = self.machine.refusal(t.name, subject.key, record, subject)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(subject.back)
        return self.confirmation(request, t, subject, record, self.make_form(request, record))

    def post(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        record = self.machine.record(subject.key)
        form = self.make_form(request, record)
        if not form.is_valid():
            return self.confirmation(request, t, subject, record, form)
        try:
            self.take(record, request.user, form.cleaned_data, request.POST.get("state", UNSEEN), subject)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, subject.say(t.done))
        return HttpResponseRedirect(subject.back)


class CloseView(ResponseStepView):
    def make_form(self, request, record):
        if request.method == "POST":
            return forms.CloseForm(request.POST, request.FILES, response=record)
        return forms.CloseForm(response=record)

    def take(self, record, user, data, seen, subject):
        whistles.close_with(
            record, user, report=data["report"], evidence=data.get("evidence"), seen=seen, subject=subject
        )


class VerifyView(ResponseStepView):
    def make_form(self, request, record):
        return forms.VerifyForm(request.POST if request.method == "POST" else None)

    def take(self, record, user, data, seen, subject):
        whistles.verify(
            record, user, quality=data["quality"], satisfaction=data["satisfaction"], seen=seen, subject=subject
        )


class SignView(RecordTransitionView):
    """报到: the kit's confirmation; the time of signing kept."""

    def post(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        try:
            whistles.sign(
                self.machine.record(subject.key), request.user, seen=request.POST.get("state", UNSEEN), subject=subject
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, subject.say(t.done))
        return HttpResponseRedirect(subject.back)


STEP_VIEWS = {"sign": SignView, "close": CloseView, "verify": VerifyView}


class WhistleResponsePages(ModelPages):
    """The responses: listed and read (no add, edit or delete: a whistle makes them, the steps move
    them)."""

    model = WhistleResponse
    queryset = WhistleResponse.objects.select_related("whistle__area", "whistle__kind", "department")
    table = tables.WhistleResponseTable
    filterset = filters.WhistleResponseFilterSet
    fields = ("department",)  # no form page is served (urls below); said so the kit derives none from the table
    change_action = None
    detail_fields = (*WhistleResponse.SHOWN, "evidence_name", "by", "at")
    transitions = whistles.RESPONSES
    menu = {"group": GROUP, "order": 73, "icon": "person-check", "label": gettext_lazy("部门报到")}

    @classmethod
    def urls(cls, prefix):
        queryset = cls.queryset
        return [
            path(
                f"{prefix}/",
                ObjectListView.as_view(queryset=queryset, table=cls.table, filterset=cls.filterset),
                name=cls.url_name("list"),
            ),
            path(
                f"{prefix}/<int:pk>/",
                ObjectDetailView.as_view(
                    queryset=queryset,
                    fields=cls.detail_fields,
                    machine=cls.transitions,
                    transition_url_name=cls.namespaced("{name}"),
                ),
                name=cls.url_name("detail"),
            ),
            *cls.transition_urls(prefix, queryset),
        ]

    @classmethod
    def transition_urls(cls, prefix, queryset):
        return [
            path(
                f"{prefix}/<int:pk>/{t.name}/",
                STEP_VIEWS[t.name].as_view(queryset=queryset, machine=cls.transitions, transition=t.name),
                name=cls.url_name(t.name),
            )
            for t in cls.transitions
        ]


PAGES = (
    ("services/whistles", WhistlePages),
    ("services/responses", WhistleResponsePages),
)


@login_required
def response_evidence(request, pk):
    """The evidence of a response, to those who read the response."""
    response = get_object_or_404(WhistleResponse.objects.scoped(request.user), pk=pk)
    if not response.evidence:
        raise Http404
    return files.serve(response.evidence, response.evidence_name or response.evidence.name.rsplit("/", 1)[-1])


def asked_quarter(request):
    span = parse(request.GET.get("period"))
    return span if isinstance(span, Quarter) else Quarter.of(timezone.localdate())


class RankingView(ObjectListView):
    """职能部门吹哨报到排名: the departments called by the whistles the user reads, by the streets'
    scores of a quarter (?period=2026Q3); sorted, exported (xlsx, CSV) and printable."""

    queryset = Department.objects.all()
    table = tables.DepartmentRankingTable
    filterset = filters.RankingFilterSet
    template_name = "services/whistles/ranking.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not whistles.may_rank(request.user):
            raise Http404
        self.quarter = asked_quarter(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return whistles.ranked_departments(self.request.user, self.quarter).order_by("rank", "-addressed", "name")

    def get_title(self):
        return _("{quarter}职能部门吹哨报到排名").format(quarter=self.quarter.label)

    def export(self, queryset, fmt, progress=None):
        from core.exporting import counted
        from core.spreadsheets import xlsx_response
        from core.views.generic import csv_response

        table = self.table(list(queryset[:1000]), request=self.request)
        filename = str(self.get_title())
        values = counted(table.export_rows(), progress)
        if fmt == "csv":
            return csv_response(f"{filename}.csv", self.table.headers(), values)
        return xlsx_response(f"{filename}.xlsx", self.table.headers(), values, sheet_title=filename[:31])

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        current = Quarter.of(timezone.localdate())
        context.update(quarter=self.quarter, quarters=[current.shifted(-n) for n in range(6)])
        return context


urlpatterns = [
    path("services/responses/<int:pk>/evidence/", response_evidence, name="whistleresponse_evidence"),
    path("services/whistle-ranking/", RankingView.as_view(), name="whistle_ranking"),
]
