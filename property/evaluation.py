"""The rules of the annual evaluation (物业服务质量评价, seed 001), called alike by the pages, the API
and the demo: which scheme a year uses, a sheet's scores checked against its items' ranges, one
sheet per scorer kind, the sheets hidden from one another until all three are in, the weighted
total and its grade, the company's grade across its compounds (the ranking), and the approval
chain — submit → street opinion → housing department — as declared transitions
(core/transitions.py: the same machine the assessment's approvals and the ledger's 销号 run on,
with its buttons, confirmation, API action, history rows and refused races)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.transitions import Notify, StateMachine, Transition

from .models_evaluation import (
    EvaluationScheme,
    EvaluationStatus,
    Grade,
    PropertyEvaluation,
    ScorerKind,
    ScoreSheet,
    SheetScore,
)
from .permissions_evaluation import CONFIRM_EVALUATION, REVIEW_EVALUATION, SUBMIT_EVALUATION

KINDS = tuple(ScorerKind.values)
OPEN_FOR_SCORES = (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)
# What a ranking counts: the results the street has approved, confirmed or still before 住建.
RANKED = (EvaluationStatus.REVIEWED, EvaluationStatus.CONFIRMED)
TWO = Decimal("0.01")


# --- the scheme --------------------------------------------------------------------------------


def scheme_for(year):
    """The scheme of `year`, or the latest before it (a year without its own uses the last one)."""
    return EvaluationScheme.objects.filter(year__lte=year).order_by("-year").first()


def grade_for(scheme, total):
    """The grade of `total` by the scheme's thresholds: A ≥ A级线, B ≥ B级线, C ≥ C级线, else D."""
    if total is None:
        return ""
    if total >= scheme.grade_a:
        return Grade.A
    if total >= scheme.grade_b:
        return Grade.B
    if total >= scheme.grade_c:
        return Grade.C
    return Grade.D


# --- sheets ------------------------------------------------------------------------------------


def parse_score(item, value):
    """A score as typed (a number, "85", "8.5"), within 0 and the item's maximum; else a Chinese refusal."""
    if value is None or str(value).strip() == "":
        raise ValidationError(_("请填写“{item}”的得分。").format(item=item.name))
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("“{item}”的得分“{value}”不是数字。").format(item=item.name, value=value)) from None
    if not score.is_finite() or score < 0 or score > item.max_score:
        raise ValidationError(
            _("“{item}”的得分须在 0 至 {max} 分之间，填写的是 {value}。").format(
                item=item.name, max=item.max_score.normalize(), value=value
            )
        )
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError(_("“{item}”的得分最多保留一位小数。").format(item=item.name))
    return score


def clean_scores(scheme, values):
    """{item id: score} from {item id or item name: value as typed}: every item of the scheme scored
    once, within its range. Refusals: a ValidationError whose dict names the items."""
    items = list(scheme.items.all())
    by_key = {}
    for item in items:
        by_key[str(item.pk)] = item
        by_key[item.name] = item
    errors, scores = {}, {}
    for key, value in values.items():
        item = by_key.get(str(key).strip())
        if item is None:
            errors[str(key)] = [_("“{key}”不是{scheme}的评价项目。").format(key=key, scheme=scheme.name)]
            continue
        if item.pk in scores:
            errors[item.name] = [_("“{item}”重复打分。").format(item=item.name)]
            continue
        try:
            scores[item.pk] = parse_score(item, value)
        except ValidationError as error:
            errors[item.name] = error.messages
    for item in items:
        if item.pk not in scores and item.name not in errors:
            errors[item.name] = [_("请填写“{item}”的得分。").format(item=item.name)]
    if errors:
        raise ValidationError(errors)
    return scores


def scoring_refusal(evaluation):
    """Why no sheet at all can be entered on `evaluation` now (submitted, or all three in), or None."""
    if evaluation.status not in OPEN_FOR_SCORES:
        return _("该评价{status}，不能再录入评分表。").format(status=evaluation.get_status_display())
    if evaluation.sheets.count() >= len(KINDS):
        return _("三类评分主体都已提交评分表。")
    return None


def sheet_refusal(evaluation, kind):
    """Why a sheet of `kind` cannot be entered on `evaluation` now, in Chinese, or None."""
    if kind not in KINDS:
        return _("“{kind}”不是评分主体，应为社区党组织、业主委员会或业主代表。").format(kind=kind)
    if evaluation.status not in OPEN_FOR_SCORES:
        return _("该评价{status}，不能再录入评分表。").format(status=evaluation.get_status_display())
    if evaluation.sheets.filter(kind=kind).exists():
        return _("该评价已有{kind}的评分表，每类评分主体只能提交一份。").format(kind=ScorerKind(kind).label)
    return None


def enter_sheet(evaluation, kind, values, user, scorer=""):
    """Record a scorer's sheet: refused (a ValidationError in Chinese, nothing saved) when the
    evaluation is no longer open, the scorer has a sheet already, or a score is out of range. Once
    the third sheet is in, the evaluation's total and grade are computed."""
    with transaction.atomic():
        evaluation = PropertyEvaluation.objects.select_for_update().select_related("scheme").get(pk=evaluation.pk)
        refusal = sheet_refusal(evaluation, kind)
        if refusal:
            raise ValidationError({"kind": [refusal]})
        scores = clean_scores(evaluation.scheme, values)
        sheet = ScoreSheet.objects.create(
            evaluation=evaluation, kind=kind, scorer=scorer, entered_by=user if getattr(user, "pk", None) else None
        )
        SheetScore.objects.bulk_create(SheetScore(sheet=sheet, item_id=pk, score=s) for pk, s in scores.items())
        sheet.total = sum(scores.values(), Decimal(0))
        sheet.save(update_fields=["total"])
        compute(evaluation)
    return sheet


def delete_sheet(sheet):
    """Withdraw a sheet while its evaluation is still being scored (a mistaken entry), and recompute."""
    with transaction.atomic():
        evaluation = PropertyEvaluation.objects.select_for_update().select_related("scheme").get(pk=sheet.evaluation_id)
        if evaluation.status not in OPEN_FOR_SCORES:
            raise ValidationError(_("该评价{status}，评分表不能删除。").format(status=evaluation.get_status_display()))
        sheet.delete()
        compute(evaluation)


def complete(evaluation):
    return evaluation.sheets.count() == len(KINDS)


def weighted_total(scheme, sheet_totals):
    """The total on 100: each scorer's sheet as a share of the items' full marks, weighted by the
    scheme's weight of its kind."""
    full = sum((item.max_score for item in scheme.items.all()), Decimal(0))
    if not full:
        return Decimal(0)
    total = sum(
        (Decimal(scheme.weight(kind)) * sheet_totals[kind] / full for kind in KINDS),
        Decimal(0),
    )
    return total.quantize(TWO, rounding=ROUND_HALF_UP)


def compute(evaluation):
    """The total and the grade once all three sheets are in (else none)."""
    totals = dict(evaluation.sheets.values_list("kind", "total"))
    before = (evaluation.total, evaluation.grade)
    if len(totals) == len(KINDS):
        evaluation.total = weighted_total(evaluation.scheme, totals)
        evaluation.grade = grade_for(evaluation.scheme, evaluation.total)
    else:
        evaluation.total, evaluation.grade = None, ""
    if (evaluation.total, evaluation.grade) != before:  # no history row for a sheet that changes nothing
        evaluation.save(update_fields=["total", "grade", "at"])
    return evaluation


def sheets_shown_to(evaluation, user):
    """The sheets `user` may read the scores of: all, once all three are in; before that only the
    sheets the user entered (a scorer does not see another's sheet while it is scoring)."""
    sheets = evaluation.sheets.select_related("entered_by").order_by("kind")
    if getattr(user, "is_superuser", False) or complete(evaluation):
        return list(sheets)
    return [sheet for sheet in sheets if sheet.entered_by_id == user.pk]


def visible_sheets(queryset, user):
    """A queryset of sheets narrowed to those `user` may read: of complete evaluations, or its own."""
    if getattr(user, "is_superuser", False):
        return queryset
    full = PropertyEvaluation.objects.annotate(n=Count("sheets")).filter(n=len(KINDS)).values("pk")
    return queryset.filter(Q(evaluation__in=full) | Q(entered_by=user))


# --- the approval chain, declared ---------------------------------------------------------------


def all_sheets_in(key, evaluation):
    missing = [str(ScorerKind(k).label) for k in KINDS if not evaluation.sheets.filter(kind=k).exists()]
    if missing:
        return _("还缺{names}的评分表，三类评分主体都评分后才能上报。").format(names="、".join(missing))
    return None


def community_of(subject):
    record = getattr(subject, "area", subject)
    return record.compound.community if isinstance(record, PropertyEvaluation) else record


def street_of(subject):
    community = community_of(subject)
    return community.parent or community


def year_words(subject):
    record = getattr(subject, "area", subject)
    return {"year": getattr(record, "year", "")}


def page_of(subject):
    record = getattr(subject, "area", subject)
    return record.get_absolute_url() if isinstance(record, PropertyEvaluation) else ""


def returned_to_community(name, label, source, action, *, confirm, told):
    """A step that sends the evaluation back to its community (by the street or by 住建), with the
    reason: the community scores again and submits anew, told why (`told`: the notice's title)."""
    return Transition(
        name,
        label,
        sources=[source],
        target=EvaluationStatus.RETURNED,
        action=action,
        confirm=confirm,
        done=gettext_lazy("已退回“{subject}”。"),
        reason=True,
        reason_label=gettext_lazy("退回原因"),
        style="btn-outline-warning",
        notify=[Notify(SUBMIT_EVALUATION, told, gettext_lazy("退回原因：{reason}"), url=page_of, area=community_of)],
    )


EVALUATION = StateMachine(
    PropertyEvaluation,
    [
        Transition(
            "submit",
            gettext_lazy("上报街道"),
            sources=OPEN_FOR_SCORES,
            target=EvaluationStatus.SUBMITTED,
            action=SUBMIT_EVALUATION,
            confirm=gettext_lazy("上报后评分表不能再修改，需街道或住建部门退回。确定上报“{subject}”吗？"),
            done=gettext_lazy("已上报“{subject}”，等待街道审核。"),
            guard=all_sheets_in,
            style="btn-primary",
            icon="bi-send",
            notify=[
                Notify(
                    REVIEW_EVALUATION,
                    gettext_lazy("“{subject}”已上报，待街道审核"),
                    gettext_lazy("请查看评分结果，提出审核意见或退回。"),
                    url=page_of,
                    area=street_of,
                )
            ],
        ),
        Transition(
            "approve",
            gettext_lazy("审核通过"),
            sources=[EvaluationStatus.SUBMITTED],
            target=EvaluationStatus.REVIEWED,
            action=REVIEW_EVALUATION,
            confirm=gettext_lazy("审核通过后，评价结果报送企业登记地的住建部门。请填写街道审核意见。"),
            done=gettext_lazy("已审核“{subject}”，结果已报住建部门。"),
            reason=True,
            reason_label=gettext_lazy("街道审核意见"),
            refusal=gettext_lazy("“{subject}”当前为“{state}”，不能审核。"),
            style="btn-success",
            icon="bi-check2",
        ),
        returned_to_community(
            "return",
            gettext_lazy("退回社区"),
            EvaluationStatus.SUBMITTED,
            REVIEW_EVALUATION,
            confirm=gettext_lazy("退回后社区可补充评分并重新上报。"),
            told=gettext_lazy("“{subject}”被街道退回"),
        ),
        Transition(
            "confirm",
            gettext_lazy("住建确认"),
            sources=[EvaluationStatus.REVIEWED],
            target=EvaluationStatus.CONFIRMED,
            action=CONFIRM_EVALUATION,
            confirm=gettext_lazy("确认后，“{subject}”的等级计入企业信用评级。确定确认吗？"),
            done=gettext_lazy("已确认“{subject}”。"),
            refusal=gettext_lazy("“{subject}”当前为“{state}”，须街道审核后才能确认。"),
            style="btn-success",
            icon="bi-patch-check",
        ),
        returned_to_community(
            "send_back",
            gettext_lazy("住建退回"),
            EvaluationStatus.REVIEWED,
            CONFIRM_EVALUATION,
            confirm=gettext_lazy("退回后由社区更正并重新上报，再经街道审核。"),
            told=gettext_lazy("“{subject}”被住建部门退回"),
        ),
    ],
)


def street_opinion(evaluation):
    """The street's last opinion (the reason of its 审核通过), or ""."""
    for row in EVALUATION.history(evaluation):
        if row.transition == "approve":
            return row.reason
    return ""


# --- the ranking: each company's grade across its compounds -----------------------------------


def ranking(evaluations, year):
    """[{company, compounds, mean, best, worst, confirmed, grade, rank}] of the companies in
    `evaluations` (already scoped), by their mean total over their compounds in `year` (the
    results the street has approved or 住建 confirmed), best first; ties share a rank."""
    rows = list(
        evaluations.filter(year=year, status__in=RANKED, total__isnull=False)
        .order_by()
        .values("company_id", "company__name", "company__credit_code")
        .annotate(
            compounds=Count("pk"),
            mean=Avg("total"),
            best=Max("total"),
            worst=Min("total"),
            confirmed=Count("pk", filter=Q(status=EvaluationStatus.CONFIRMED)),
        )
        .order_by("-mean", "company__name")
    )
    scheme = scheme_for(year)
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        row["mean"] = Decimal(row["mean"]).quantize(TWO, rounding=ROUND_HALF_UP)
        if row["mean"] != previous:
            rank, previous = position, row["mean"]
        row["rank"] = rank
        row["grade"] = grade_for(scheme, row["mean"]) if scheme else ""
    return rows


def breakdown(evaluations):
    """Behind a company's grade: per compound its sheets' totals and grade, and per item the mean
    score of each scorer kind across its compounds — {compounds: [...], items: [...]}."""
    evaluations = list(
        evaluations.select_related("compound__community", "scheme")
        .prefetch_related("sheets")
        .order_by("compound__community__code", "compound__name")
    )
    compounds = []
    for evaluation in evaluations:
        totals = {sheet.kind: sheet.total for sheet in evaluation.sheets.all()}
        compounds.append({"evaluation": evaluation, "sheets": [totals.get(kind) for kind in KINDS]})
    means = (
        SheetScore.objects.filter(sheet__evaluation__in=[e.pk for e in evaluations])
        .order_by()
        .values("item__name", "item__max_score", "item__order", "sheet__kind")
        .annotate(mean=Avg("score"))
        .order_by("item__order", "item__name")
    )
    items = {}
    for row in means:
        item = items.setdefault(
            row["item__name"], {"name": row["item__name"], "max": row["item__max_score"], "kinds": {}}
        )
        item["kinds"][row["sheet__kind"]] = Decimal(row["mean"]).quantize(Decimal("0.1"))
    for item in items.values():
        item["cells"] = [item["kinds"].get(kind) for kind in KINDS]
    return {"compounds": compounds, "items": list(items.values()), "kinds": [ScorerKind(k).label for k in KINDS]}


def ranking_url(year):
    return reverse("property:evaluation_ranking") + f"?year={year}"
