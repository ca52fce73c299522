from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import RoleAssignmentForm
from ..models import RoleAssignment
from ..scoping import Action, forget_scopes, user_scopes


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request):
    if not request.user.is_superuser and not user_scopes(request.user, Action.MANAGE_ROLES):
        raise Http404  # no area where this user may grant roles: no form, no list of users
    form = RoleAssignmentForm(
        request.POST or None,
        user=request.user,
        initial={"area_code": request.GET.get("area", ""), "user": request.GET.get("user", "")},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            assignment = form.save()
        forget_scopes(request.user)
        messages.success(request, _("已授权：{assignment}。").format(assignment=assignment))
        return redirect(assignment.area)
    user_id = request.GET.get("user", "")
    back = reverse("orgs:user_detail", args=[user_id]) if user_id.isdigit() else reverse("orgs:user_list")
    return render(
        request,
        "generic/object_edit.html",
        {
            "form": form,
            "title": _("新增角色授权"),
            "cancel_url": back,
            "trail_link": {"url": reverse("orgs:user_list"), "label": _("用户")},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_delete(request, pk):
    """Revoke a role, after a confirmation page naming who loses what; one's own last role cannot
    be revoked (nobody locks themselves out)."""
    assignment = get_object_or_404(
        RoleAssignment.objects.scoped(request.user, Action.MANAGE_ROLES).select_related("area", "user"), pk=pk
    )
    area = assignment.area
    own_last = assignment.user_id == request.user.pk and not (
        RoleAssignment.objects.filter(user=request.user).exclude(pk=assignment.pk).exists()
    )
    if own_last:
        messages.error(request, _("不能撤销您自己唯一的角色授权，否则您将无法再管理任何区划。"))
        return redirect(area)
    if request.method == "POST":
        assignment.delete()
        forget_scopes(request.user)
        messages.success(request, _("已撤销授权：{assignment}。").format(assignment=assignment))
        return redirect(request.POST.get("next") or area.get_absolute_url())
    return render(
        request,
        "generic/confirm.html",
        {
            "title": _("撤销角色授权"),
            "question": _("撤销后，{user}将不能再以“{role}”身份查看和管理“{area}”及其下级。确定撤销吗？").format(
                user=assignment.user, role=assignment.get_role_display(), area=area.name
            ),
            "confirm_label": _("撤销"),
            "danger": True,
            "cancel_url": area.get_absolute_url(),
            "breadcrumb": area.breadcrumb(),
        },
    )
