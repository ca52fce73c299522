"""What red property adds to other pages (core.registry): the area page's 物业 panel, the panels of
its own records' pages, and the home page's widgets — ledger entries due or overdue, owners'
committees whose term ends soon."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from orgs.choices import AreaLevel
from orgs.scoping import Action, can, can_anywhere, within

from .choices import LedgerStatus, ManagementMode
from .indicators import GRADE_POINTS, grades_under
from .models import Compound, LedgerEntry, OwnersCommittee
from .models_evaluation import Grade
from .permissions import CHANGE_PROPERTY, CLOSE_LEDGER

LISTED = 8
DUE_WITHIN = datetime.timedelta(days=30)  # a ledger entry is "due" a month before its deadline
EXPIRING_WITHIN = datetime.timedelta(days=90)  # an owners' committee's election is prepared a quarter ahead


def area_panel(request, area):
    """物业 on an area's page, for the areas that have compounds below them: its figures come after
    the page (htmx, property.views.area_summary), so that the page waits for no count of them."""
    if area.level in (AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT) or not can(request.user, Action.VIEW, area):
        return None
    return {"area": area}


def area_figures(request, area):
    """The 物业 panel's figures: the area's compounds by management mode and its ledger (open,
    overdue), over the subtree, and the grades of the companies serving it this year (the ranking's
    grade of each, property/indicators.py) — three queries, whatever the size of the subtree."""
    if area.level in (AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT) or not can(request.user, Action.VIEW, area):
        return None
    counts = dict(
        Compound.objects.filter(within("community__code", area.code))
        .order_by()
        .values_list("mode")
        .annotate(n=Count("pk"))
    )
    today = timezone.localdate()
    ledger = LedgerEntry.objects.filter(within("compound__community__code", area.code), status=LedgerStatus.OPEN)
    figures = ledger.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
    modes = [(value, label, counts.get(value, 0)) for value, label in ManagementMode.choices]
    year = today.year
    grades = grades_under(area, year)
    return {
        "year": year,
        "grades": [(value, label, grades.get(value, 0)) for value, label in Grade.choices],
        "graded": sum(grades.values()),
        "mean_grade": mean_grade(grades),
        "area": area,
        "modes": modes,
        "total": sum(counts.values()),
        "open": figures["open"],
        "overdue": figures["overdue"],
    }


def mean_grade(grades):
    """The grade nearest the mean of {grade: companies} (A 4 … D 1), or "" when none is graded."""
    points = dict(GRADE_POINTS)
    companies = sum(grades.values())
    if not companies:
        return ""
    mean = sum(points[grade] * n for grade, n in grades.items()) / companies
    return min(points, key=lambda grade: (abs(points[grade] - mean), grade))


def compound_panel(request, compound):
    """A compound's covered grids and buildings, its ledger entries, owners' committees,
    consultations and checklists, each with its add link for who may add."""
    user = request.user
    return {
        "compound": compound,
        "areas": list(compound.areas.order_by("code")),
        "entries": list(compound.ledger_entries.order_by("-pk")[:LISTED]),
        "committees": list(compound.committees.order_by("-term_start")[:LISTED]),
        "consultations": list(compound.consultations.order_by("-held_on", "-pk")[:LISTED]),
        "checklists": list(compound.checklists.order_by("-quarter")[:4]),
        "can_change": can(user, CHANGE_PROPERTY, compound),
    }


def company_panel(request, company):
    """The compounds the company serves that the viewer may see — each street its own."""
    compounds = Compound.objects.scoped(request.user).filter(company=company).select_related("community")
    return {"company": company, "compounds": list(compounds.order_by("community__code", "name")[: 5 * LISTED])}


def committee_panel(request, committee):
    members = list(committee.members.order_by("role", "name"))
    party = sum(1 for member in members if member.is_party_member)
    return {
        "committee": committee,
        "members": members,
        "party": party,
        "majority": bool(members) and 2 * party > len(members),
        "can_change": can(request.user, CHANGE_PROPERTY, committee),
    }


def ledger_panel(request, entry):
    return {"entry": entry, "compound": entry.compound}


def ledger_due(request):
    """Ledger entries still open whose deadline is within a month or past, for who closes them."""
    user = request.user
    if not can_anywhere(user, CLOSE_LEDGER):
        return None
    soon = timezone.localdate() + DUE_WITHIN
    due = LedgerEntry.objects.scoped(user, CLOSE_LEDGER).filter(status=LedgerStatus.OPEN, deadline__lte=soon)
    rows = list(due.select_related("compound__community").order_by("deadline", "pk")[:LISTED])
    if not rows:
        return None
    return {"rows": rows, "count": len(rows) if len(rows) < LISTED else due.count(), "today": timezone.localdate()}


def committees_expiring(request):
    """Owners' committees whose term ends within a quarter or has ended, for who keeps them."""
    user = request.user
    if not can_anywhere(user, CHANGE_PROPERTY):
        return None
    soon = timezone.localdate() + EXPIRING_WITHIN
    expiring = OwnersCommittee.objects.scoped(user, CHANGE_PROPERTY).filter(term_end__lte=soon)
    rows = list(expiring.select_related("compound").order_by("term_end", "pk")[:LISTED])
    if not rows:
        return None
    return {"rows": rows, "count": len(rows) if len(rows) < LISTED else expiring.count(), "today": timezone.localdate()}
