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
    scoped = hasattr(model_class._default_manager, "scoped")
    if not scoped or field not in getattr(model_class, "personal_data_fields", {}):
        raise Http404
    if not personal_data.can_reveal(request.user):
        raise Http404
    # A model may narrow whose numbers can be revealed (e.g. a person's record kept by another office).
    queryset_for = getattr(model_class, "personal_data_queryset", model_class._default_manager.scoped)
    obj = get_object_or_404(queryset_for(request.user), pk=pk)
    value = personal_data.reveal(request.user, obj, field, ip_address=client_ip(request))
    return HttpResponse(format_html('<span class="personal">{}</span>', value))
