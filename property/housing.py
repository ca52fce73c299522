"""The housing department's home page (住建, the demo's zhujian): the companies it registered and
what they serve, the contracts ending within a quarter that it watches for renewal, and the
compounds still without management (无物业) in its district or city — a few queries."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from orgs.choices import Role
from orgs.models import Department
from orgs.scoping import user_roles, within

from .choices import LedgerStatus
from .models import Compound, LedgerEntry, PropertyCompany
from .permissions import housing_departments

LISTED = 8
ENDING_WITHIN = datetime.timedelta(days=90)


def housing_register(request):
    """The widget's context for a user of a housing department, None for anyone else."""
    if Role.DEPARTMENT not in user_roles(request.user):  # read with the scopes: no query for the others
        return None
    departments = housing_departments(request.user)
    if not departments:
        return None
    today = timezone.localdate()
    codes = list(Department.objects.filter(pk__in=departments).values_list("area__code", flat=True))
    registered = PropertyCompany.objects.filter(department__in=departments)
    served = Compound.objects.filter(company__department__in=departments)
    figures = served.aggregate(compounds=Count("pk"))
    # its companies' contracts ending soon, where the user may open the compound
    visible = Compound.objects.scoped(request.user).filter(company__department__in=departments)
    ending = visible.filter(contract_end__gte=today, contract_end__lte=today + ENDING_WITHIN)
    rows = list(ending.select_related("company", "community").order_by("contract_end", "pk")[:LISTED])
    area = Q(pk__in=[])
    for code in codes:
        area |= within("compound__community__code", code)
    ledger = LedgerEntry.objects.filter(area, status=LedgerStatus.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today))
    )
    return {
        "companies": registered.count(),
        "compounds": figures["compounds"],
        "ending": rows,
        "ending_count": len(rows) if len(rows) < LISTED else ending.count(),
        "open": ledger["open"],
        "overdue": ledger["overdue"],
        "within": codes[0] if len(codes) == 1 else "",
        "today": today,
    }
