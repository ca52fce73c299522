from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..search import RESULTS, cleaned, find


@login_required
@require_GET
def search(request):
    """The menu bar's search: areas, organisations, members … that the user may see (core.search)."""
    query = cleaned(request.GET.get("q", ""))
    groups = find(request.user, query)
    return render(request, "core/search.html", {"query": query, "groups": groups, "most": RESULTS})
