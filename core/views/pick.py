from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import gate
from ..forms import PICKER_NAME, pick_context


@login_required
@require_GET
def pick(request, model):
    """The choices of a form's choice picker (core.forms.ChoicePicker) as the user types: records
    of `model` the user may do the form's `action` on whose name holds what is typed, at most
    PICK_RESULTS. 404 for a model that is not scoped, or to whom may do the action nowhere."""
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    name = request.GET.get("name", "")
    action = request.GET.get("action", "")
    manager = model_class._default_manager
    if not hasattr(manager, "scoped") or not PICKER_NAME.fullmatch(name) or not action:
        raise Http404
    try:
        if not gate.can_anywhere(request.user, action):
            raise Http404
    except (LookupError, ValueError):  # an action no app declares
        raise Http404 from None
    queryset = manager.scoped(request.user, action)
    query = request.GET.get(name + "_q", "").strip()
    return render(request, "core/pick.html", pick_context(queryset, name, query, request.GET.get(name, "")))
