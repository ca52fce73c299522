"""What the evaluation adds to other pages (core.registry): the evaluation's panel (its sheets, as
far as the viewer may read them), the inspection's panel (publish), and the home widgets —
evaluations to submit (the community) or to give an opinion on (the street); for the housing
department its ranking's head and the inspections awaiting a result."""

from django.db.models import Count
from django.utils import timezone

from orgs.scoping import can, can_anywhere

from . import evaluation as rules
from .models_evaluation import EvaluationStatus, Inspection, PropertyEvaluation, ScorerKind
from .permissions_evaluation import CONFIRM_EVALUATION, REVIEW_EVALUATION, SCORE, SUBMIT_EVALUATION, SUPERVISE

LISTED = 8


def evaluation_panel(request, evaluation):
    user = request.user
    shown = rules.sheets_shown_to(evaluation, user)
    entered = dict(evaluation.sheets.values_list("kind", "entered_at"))
    rows = []
    shown_by_kind = {sheet.kind: sheet for sheet in shown}
    for kind, label in ScorerKind.choices:
        rows.append({"label": label, "entered_at": entered.get(kind), "sheet": shown_by_kind.get(kind)})
    complete = len(entered) == len(rules.KINDS)
    return {
        "evaluation": evaluation,
        "rows": rows,
        "complete": complete,
        "may_score": evaluation.status in rules.OPEN_FOR_SCORES
        and len(entered) < len(rules.KINDS)
        and can(user, SCORE, evaluation),
        "opinion": rules.street_opinion(evaluation),
    }


def inspection_panel(request, inspection):
    return {
        "inspection": inspection,
        "may_publish": not inspection.published and can(request.user, SUPERVISE, inspection),
    }


def evaluations_due(request):
    """Evaluations the user acts on next: to score and submit (the community), to review (the street)."""
    user = request.user
    rows, title = [], ""
    if can_anywhere(user, SUBMIT_EVALUATION):
        queryset = PropertyEvaluation.objects.scoped(user, SUBMIT_EVALUATION).filter(status__in=rules.OPEN_FOR_SCORES)
        title = "to_submit"
    elif can_anywhere(user, REVIEW_EVALUATION):
        queryset = PropertyEvaluation.objects.scoped(user, REVIEW_EVALUATION).filter(status=EvaluationStatus.SUBMITTED)
        title = "to_review"
    else:
        return None
    queryset = queryset.select_related("company", "compound").annotate(sheet_count=Count("sheets"))
    rows = list(queryset.order_by("compound__name", "pk")[:LISTED])
    if not rows:
        return None
    return {"rows": rows, "count": len(rows) if len(rows) < LISTED else queryset.count(), "kind": title}


def housing_work(request):
    """The housing department's home: the head of its ranking and the inspections awaiting a result."""
    user = request.user
    if not can_anywhere(user, CONFIRM_EVALUATION):
        return None
    from .views_evaluation import ranked_companies

    year = timezone.localdate().year
    top = list(ranked_companies(user, year).order_by("-mean", "name")[:5])
    if not top:
        year -= 1
        top = list(ranked_companies(user, year).order_by("-mean", "name")[:5])
    to_confirm = PropertyEvaluation.objects.scoped(user, CONFIRM_EVALUATION).filter(status=EvaluationStatus.REVIEWED)
    due = Inspection.objects.scoped(user, SUPERVISE).filter(published_at__isnull=True).select_related("company")
    return {
        "year": year,
        "top": top,
        "to_confirm": to_confirm.count(),
        "inspections": list(due.order_by("drawn_at")[:LISTED]),
    }
