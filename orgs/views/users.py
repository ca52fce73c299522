"""User management in the portal, for those who may grant roles (组织部): the users of their scope
(in use, deactivated, or all), a new user with a role or a reporting unit's account, a new
password, deactivation and restoring. A granter manages a user only when every role of that user
lies strictly below the granter (`manageable_users`) — never a peer, nor a user who also serves
above or beside it: those are shown read-only, or not at all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.forms import SetPasswordForm
from core.registry import registry

from ..forms import NewUserForm
from ..models import RoleAssignment
from ..scoping import Action, can_anywhere, in_scopes, manageable_users, scope_condition, user_scopes, visible_users

# The user list's filter: 在用 (the default), 已停用, 全部.
STATUSES = {"active": gettext_lazy("在用"), "inactive": gettext_lazy("已停用"), "all": gettext_lazy("全部")}


def manageable(granter, user):
    """Whether `granter` may reset `user`'s password, deactivate or restore them, grant them a role."""
    return manageable_users(granter).filter(pk=user.pk).exists()


def require_granter(request):
    if not can_anywhere(request.user, Action.MANAGE_ROLES):
        raise Http404


def roles_in_scope(granter):
    assignments = RoleAssignment.objects.select_related("area", "department").order_by("area__code", "role")
    if granter.is_superuser:
        return assignments
    return assignments.filter(scope_condition("area__code", user_scopes(granter, Action.VIEW)))


def users_trail(user=None):
    """The user list, as a breadcrumb link: showing the deactivated when `user` is one of them."""
    url = reverse("orgs:user_list") + ("?status=inactive" if user is not None and not user.is_active else "")
    return {"url": url, "label": _("用户")}


@login_required
def user_list(request):
    require_granter(request)
    status = request.GET.get("status")
    status = status if status in STATUSES else "active"
    active = {"active": True, "inactive": False, "all": None}[status]
    users = visible_users(request.user, active=active).prefetch_related(
        Prefetch("role_assignments", queryset=roles_in_scope(request.user), to_attr="roles_shown"),
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(last_name__contains=query) | Q(first_name__contains=query)
        )
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    accounts = registry.accounts_held([user.pk for user in page])  # a reporting unit's account, 双报到
    for user in page:
        user.accounts_shown = accounts.get(user.pk, [])
    inactive = [user.pk for user in page if not user.is_active]  # 恢复 is offered on their rows
    manageable_ids = set()
    if inactive:
        manageable_ids = set(manageable_users(request.user).filter(pk__in=inactive).values_list("pk", flat=True))
    return render(
        request,
        "orgs/user_list.html",
        {
            "page_obj": page,
            "paginator": page.paginator,
            "query": query,
            "status": status,
            "statuses": STATUSES.items(),
            "manageable_ids": manageable_ids,
        },
    )


def visible_user_or_404(request, pk):
    """A user of the granter's scope, in use or deactivated (so that one can be restored)."""
    require_granter(request)
    return get_object_or_404(visible_users(request.user, active=None), pk=pk)


def manageable_user_or_404(request, pk):
    user = visible_user_or_404(request, pk)
    if not manageable(request.user, user):
        raise Http404
    return user


@login_required
def user_detail(request, pk):
    user = visible_user_or_404(request, pk)
    assignments = list(roles_in_scope(request.user).filter(user=user))
    return render(
        request,
        "orgs/user_detail.html",
        {
            "shown_user": user,
            "assignments": assignments,
            "accounts": registry.accounts_held([user.pk]).get(user.pk, []),
            "can_manage": manageable(request.user, user),
            "revocable": revocable_ids(request.user, assignments),
        },
    )


def revocable_ids(granter, assignments):
    scopes = None if granter.is_superuser else user_scopes(granter, Action.MANAGE_ROLES)
    return {a.pk for a in assignments if scopes is None or in_scopes(a.area.code, scopes)}


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    require_granter(request)
    # From a department's page (新建用户): the role, the department and its area come chosen.
    initial = {key: request.GET.get(param, "") for key, param in (("area_code", "area"), ("role", "role"))}
    initial["department"] = request.GET.get("department", "")
    form = NewUserForm(request.POST or None, granter=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
        messages.success(request, _("已创建用户“{name}”，请把用户名和初始密码告知本人。").format(name=user))
        return redirect("orgs:user_detail", pk=user.pk)
    return render(
        request,
        "orgs/user_create.html",
        {"form": form, "title": _("新建用户"), "cancel_url": reverse("orgs:user_list"), "trail_link": users_trail()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_password(request, pk):
    user = manageable_user_or_404(request, pk)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已为“{name}”设置新密码。").format(name=user))
        return redirect("orgs:user_detail", pk=user.pk)
    return render(
        request,
        "generic/object_edit.html",
        {
            "form": form,
            "title": _("为“{name}”重设密码").format(name=user),
            "cancel_url": reverse("orgs:user_detail", args=[user.pk]),
            "trail_link": users_trail(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_active(request, pk):
    """Deactivate or restore a user, after a confirmation page. The page posts the state it asked
    about, so that sending it twice (back, resubmit) does not undo it."""
    user = manageable_user_or_404(request, pk)
    name = user.get_full_name() or user.username
    if request.method == "POST":
        wanted = request.POST.get("active", "1" if not user.is_active else "0") == "1"
        if user.is_active != wanted:
            user.is_active = wanted
            user.save(update_fields=["is_active"])
        if user.is_active:
            messages.success(request, _("已恢复用户“{name}”，其可以重新登录。").format(name=name))
        else:
            messages.success(request, _("已停用用户“{name}”，其无法再登录；可随时在此页恢复。").format(name=name))
        return redirect("orgs:user_detail", pk=user.pk)
    detail_url = reverse("orgs:user_detail", args=[user.pk])
    if user.is_active:
        title = _("停用用户“{name}”").format(name=name)
        question = _("停用后，{name}（用户名 {username}）将无法登录；其角色授权保留，可以随时恢复。确定停用吗？")
    else:
        title = _("恢复用户“{name}”").format(name=name)
        question = _("恢复后，{name}（用户名 {username}）可以用原来的密码重新登录，按其角色授权使用平台。确定恢复吗？")
    return render(
        request,
        "generic/confirm.html",
        {
            "title": title,
            "question": question.format(name=name, username=user.username),
            "confirm_label": _("停用") if user.is_active else _("恢复"),
            "danger": user.is_active,
            "confirm_class": "btn-success",
            "hidden": {"active": "0" if user.is_active else "1"},
            "cancel_url": detail_url,
            "trail_links": [users_trail(user), {"url": detail_url, "label": name}],
        },
    )
