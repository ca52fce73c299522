from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import RoleAssignmentForm
from ..models import RoleAssignment
from ..scoping import Action, forget_scopes, user_scopes


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request):
    if not request.user.is_superuser and not user_scopes(request.user, Action.MANAGE_ROLES):
        raise Http404  # no area where this user may grant roles: no form, no list of users
    form = RoleAssignmentForm(
        request.POST or None, user=request.user, initial={"area_code": request.GET.get("area", "")}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            assignment = form.save()
        forget_scopes(request.user)
        messages.success(request, _("已授权：{assignment}。").format(assignment=assignment))
        return redirect(assignment.area)
    return render(request, "generic/object_edit.html", {"form": form, "title": _("新增角色授权")})


@login_required
@require_POST
def role_delete(request, pk):
    assignment = get_object_or_404(
        RoleAssignment.objects.scoped(request.user, Action.MANAGE_ROLES).select_related("area", "user"), pk=pk
    )
    area = assignment.area
    assignment.delete()
    forget_scopes(request.user)
    messages.success(request, _("已撤销授权：{assignment}。").format(assignment=assignment))
    return redirect(area)
