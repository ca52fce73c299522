from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from .. import personal_data
from ..client_ip import client_ip


@login_required
@require_POST
def reveal_personal_data(request, model, pk, field):
    """The whole value of a masked field, for a user with the permission, logged."""
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    # Whose numbers may be revealed: a model's own `personal_data_queryset(user)` (a person's record
    # kept by another office, the users a granter may see), else its scoped queryset.
    queryset_for = getattr(model_class, "personal_data_queryset", None) or getattr(
        model_class._default_manager, "scoped", None
    )
    if queryset_for is None or field not in getattr(model_class, "personal_data_fields", {}):
        raise Http404
    if not personal_data.can_reveal(request.user):
        raise Http404
    obj = get_object_or_404(queryset_for(request.user), pk=pk)
    value = personal_data.reveal(request.user, obj, field, ip_address=client_ip(request))
    return HttpResponse(format_html('<span class="personal">{}</span>', value))
