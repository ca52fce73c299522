"""The evaluation's pages: evaluations, schemes, cases and inspections declared on the kit
(ModelPages: list, detail, edit, delete, export, the declared steps); the score sheet's entry and
page; the housing department's ranking (the kit's list: sort, filter, page, xlsx/CSV export), a
company's breakdown and its printable grade page; the 双随机 draw and the publication of a result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Rank
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views.generic import ModelPages, ObjectListView, breadcrumb_of
from orgs.choices import Role
from orgs.scoping import can_anywhere, user_roles

from . import evaluation as rules
from . import filters_evaluation as filters
from . import forms_evaluation as forms
from . import inspections
from . import tables_evaluation as tables
from .models import PropertyCompany
from .models_evaluation import (
    CompanyCase,
    EvaluationScheme,
    Grade,
    Inspection,
    PropertyEvaluation,
    SchemeItem,
    ScoreSheet,
)
from .permissions_evaluation import CONFIGURE_EVALUATION, CONFIRM_EVALUATION, SCORE, SUPERVISE

GROUP = gettext_lazy("物业")
MAX_RANKED = 10_000  # companies in one ranking (a city registers a few hundred)


class PropertyEvaluationPages(ModelPages):
    model = PropertyEvaluation
    queryset = PropertyEvaluation.objects.select_related("company", "compound__community", "scheme").annotate(
        sheet_count=Count("sheets")
    )
    table = tables.PropertyEvaluationTable
    filterset = filters.PropertyEvaluationFilterSet
    form = forms.PropertyEvaluationForm
    change_action = SCORE
    detail_fields = ("company", "compound", "year", "scheme", "total", "grade", "status", "reason", "by", "at")
    transitions = rules.EVALUATION
    import_kind = "score_sheets"  # the list links the import of score sheets (importers_evaluation.py)
    menu = {"group": GROUP, "order": 66, "icon": "clipboard-check"}


class EvaluationSchemePages(ModelPages):
    model = EvaluationScheme
    table = tables.EvaluationSchemeTable
    filterset = filters.EvaluationSchemeFilterSet
    form = forms.EvaluationSchemeForm
    change_action = CONFIGURE_EVALUATION
    menu = {"group": GROUP, "order": 69, "icon": "sliders"}


class SchemeItemPages(ModelPages):
    model = SchemeItem
    queryset = SchemeItem.objects.select_related("scheme")
    fields = ("scheme", "name", "max_score", "description", "order")
    form = forms.SchemeItemForm
    change_action = CONFIGURE_EVALUATION


class CompanyCasePages(ModelPages):
    model = CompanyCase
    queryset = CompanyCase.objects.select_related("company", "compound")
    table = tables.CompanyCaseTable
    filterset = filters.CompanyCaseFilterSet
    form = forms.CompanyCaseForm
    change_action = SUPERVISE
    detail_fields = ("company", "compound", "kind", "mediator", "received_on", "summary", "result", "status")
    menu = {"group": GROUP, "order": 68, "icon": "megaphone", "label": gettext_lazy("投诉与纠纷调解")}


class InspectionPages(ModelPages):
    model = Inspection
    queryset = Inspection.objects.select_related("company", "inspector", "department")
    table = tables.InspectionTable
    filterset = filters.InspectionFilterSet
    form = forms.InspectionResultForm
    change_action = SUPERVISE
    detail_fields = (
        "department",
        "company",
        "inspector",
        "seed",
        "drawn_at",
        "drawn_by",
        "company_pool",
        "inspector_pool",
        "inspected_on",
        "conclusion",
        "result",
        "published_at",
    )
    menu = {"group": GROUP, "order": 69, "icon": "shuffle"}


PAGES = (
    ("property/evaluations", PropertyEvaluationPages),
    ("property/evaluation-schemes", EvaluationSchemePages),
    ("property/evaluation-items", SchemeItemPages),
    ("property/cases", CompanyCasePages),
    ("property/inspections", InspectionPages),
)


# --- score sheets --------------------------------------------------------------------------------


@login_required
def sheet_add(request, pk):
    """录入评分表: a scorer's sheet of an evaluation in the user's community (else 404)."""
    evaluation = get_object_or_404(
        PropertyEvaluation.objects.scoped(request.user, SCORE).select_related("scheme", "compound__community"), pk=pk
    )
    refusal = rules.scoring_refusal(evaluation)
    if refusal:
        messages.error(request, refusal)
        return HttpResponseRedirect(evaluation.get_absolute_url())
    form = forms.ScoreSheetForm(request.POST or None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            rules.enter_sheet(
                evaluation,
                form.cleaned_data["kind"],
                {str(pk): value for pk, value in form.scores.items()},
                request.user,
                scorer=form.cleaned_data["scorer"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存评分表。"))
            return HttpResponseRedirect(evaluation.get_absolute_url())
    return render(
        request,
        "generic/object_edit.html",
        {
            "form": form,
            "title": _("录入评分表 · {evaluation}").format(evaluation=evaluation),
            "cancel_url": evaluation.get_absolute_url(),
            "breadcrumb": breadcrumb_of(evaluation),
        },
    )


@login_required
def sheet_detail(request, pk):
    """A sheet's scores: to whom entered it, and to everyone who sees the evaluation once all three are in."""
    sheets = rules.visible_sheets(ScoreSheet.objects.scoped(request.user), request.user)
    sheet = get_object_or_404(sheets.select_related("evaluation__company", "evaluation__compound"), pk=pk)
    scores = sheet.scores.select_related("item").order_by("item__order", "item_id")
    return render(
        request,
        "property/evaluation/sheet.html",
        {"sheet": sheet, "scores": scores, "object": sheet, "breadcrumb": breadcrumb_of(sheet)},
    )


# --- the housing department's ranking, breakdown and grade page ------------------------------------


def may_rank(user):
    """The ranking is the housing departments' page; the organisation departments, who read
    everything in their scope (DESIGN §2), read it too, of the companies they see."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or can_anywhere(user, CONFIRM_EVALUATION) or Role.ORG_DEPARTMENT in user_roles(user)


def asked_year(request):
    text = (request.GET.get("year") or "").strip()
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return timezone.localdate().year


def ranked_companies(user, year):
    """The companies the user sees, each with its result across the compounds whose evaluations
    the user sees (the street approved or 住建 confirmed) in `year`: mean, best, worst, counts,
    the grade by the year's scheme, and the rank (ties share it) — one grouped query."""
    evaluations = PropertyEvaluation.objects.scoped(user).filter(year=year, status__in=rules.RANKED)
    ranked = Q(evaluations__in=evaluations.values("pk"))
    scheme = rules.scheme_for(year)
    queryset = (
        PropertyCompany.objects.scoped(user)
        .annotate(
            rated_compounds=Count("evaluations", filter=ranked),
            mean=Cast(Avg("evaluations__total", filter=ranked), DecimalField(max_digits=5, decimal_places=2)),
            best=Max("evaluations__total", filter=ranked),
            worst=Min("evaluations__total", filter=ranked),
            confirmed=Count("evaluations", filter=ranked & Q(evaluations__status="confirmed")),
        )
        .filter(rated_compounds__gt=0)
    )
    cases = CompanyCase.objects.scoped(user).filter(company=OuterRef("pk"), received_on__year=year).order_by()
    queryset = queryset.annotate(
        case_count=Coalesce(
            Subquery(cases.values("company").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        )
    )
    if scheme is not None:
        grade = Case(
            When(mean__gte=scheme.grade_a, then=Value(Grade.A)),
            When(mean__gte=scheme.grade_b, then=Value(Grade.B)),
            When(mean__gte=scheme.grade_c, then=Value(Grade.C)),
            default=Value(Grade.D),
            output_field=CharField(),
        )
    else:
        grade = Value("", output_field=CharField())
    return queryset.annotate(grade=grade, rank=Window(Rank(), order_by=F("mean").desc()))


class RankingView(ObjectListView):
    """物业服务企业信用评价排名: the housing department's companies across its district (or the
    city), by their mean grade over their compounds; sorted, filtered, paged and exported by the kit."""

    queryset = PropertyCompany.objects.all()
    table = tables.RankingTable
    filterset = filters.RankingFilterSet
    template_name = "property/evaluation/ranking.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_rank(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.year = asked_year(self.request)
        return ranked_companies(self.request.user, self.year).order_by("-mean", "name")

    def get_title(self):
        return _("{year}年物业服务企业信用评价排名").format(year=self.year)

    def get(self, request, *args, **kwargs):
        self.year = asked_year(request)
        # A subclass carrying the year: given its Meta again, for django-tables2 builds a class's
        # options from its own Meta only (without it the table lost its classes and template).
        self.table = type(
            "YearRankingTable", (tables.RankingTable,), {"Meta": tables.RankingTable.Meta, "year": self.year}
        )
        return super().get(request, *args, **kwargs)

    def export(self, queryset, fmt, progress=None):
        """The ranking as the kit exports a list (xlsx or CSV, formula-safe), its rows in rank order:
        a few hundred companies at most, read once (a sliced queryset cannot be re-sorted by the table)."""
        from core.exporting import counted
        from core.spreadsheets import xlsx_response
        from core.views.generic import csv_response

        table = self.table(list(queryset[:MAX_RANKED]), request=self.request)
        filename = str(self.get_title())
        values = counted(table.export_rows(), progress)
        if fmt == "csv":
            return csv_response(f"{filename}.csv", self.table.headers(), values)
        return xlsx_response(f"{filename}.xlsx", self.table.headers(), values, sheet_title=filename[:31])

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context.update(year=self.year, years=range(timezone.localdate().year, timezone.localdate().year - 5, -1))
        return context


def company_for_ranking(request, pk):
    if not may_rank(request.user):
        raise Http404
    return get_object_or_404(PropertyCompany.objects.scoped(request.user).select_related("department"), pk=pk)


def breakdown_context(request, company, year):
    evaluations = PropertyEvaluation.objects.scoped(request.user).filter(
        company=company, year=year, status__in=rules.RANKED
    )
    row = ranked_companies(request.user, year).filter(pk=company.pk).values("mean", "grade", "rated_compounds").first()
    inspections = Inspection.objects.scoped(request.user).filter(company=company).select_related("inspector")
    cases = CompanyCase.objects.scoped(request.user).filter(company=company, received_on__year=year)
    return {
        "company": company,
        "year": year,
        "result": row,
        "scheme": rules.scheme_for(year),
        "detail": rules.breakdown(evaluations),
        "cases": list(cases.select_related("compound")[:50]),
        "inspections": list(inspections[:20]),
        "breadcrumb": breadcrumb_of(company),
        "today": timezone.localdate(),
    }


@login_required
def breakdown(request, pk):
    """A company's grade and what lies behind it: per compound, per scorer, per item; its cases and inspections."""
    company = company_for_ranking(request, pk)
    return render(
        request, "property/evaluation/breakdown.html", breakdown_context(request, company, asked_year(request))
    )


@login_required
def grade_page(request, pk):
    """The printable grade page (物业服务企业信用评价结果), as the bureau files it."""
    company = company_for_ranking(request, pk)
    context = breakdown_context(request, company, asked_year(request))
    context["printed_at"] = timezone.localtime()
    return render(request, "property/evaluation/grade_print.html", context)


# --- 双随机一公开 ---------------------------------------------------------------------------------


@login_required
def draw(request):
    """Draw a company and an inspector at random (the seed and the pools recorded)."""
    if not can_anywhere(request.user, SUPERVISE):
        raise Http404
    form = forms.DrawForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = inspections.draw(form.cleaned_data["department"], request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("已抽取：{company}，检查人员 {inspector}。").format(
                    company=inspection.company,
                    inspector=inspection.inspector.get_full_name() or inspection.inspector.get_username(),
                ),
            )
            return HttpResponseRedirect(inspection.get_absolute_url())
    return render(
        request,
        "generic/object_edit.html",
        {
            "form": form,
            "title": _("双随机抽取"),
            "cancel_url": "",
            "submit_label": _("抽取"),
        },
    )


@login_required
def publish(request, pk):
    """Publish an inspection's result (POST): then every area the company serves sees it."""
    inspection = get_object_or_404(Inspection.objects.scoped(request.user, SUPERVISE), pk=pk)
    if request.method != "POST":
        raise Http404
    try:
        inspections.publish(inspection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("检查结果已公开。"))
    return HttpResponseRedirect(inspection.get_absolute_url())
