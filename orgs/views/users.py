"""User management in the portal, for those who may grant roles (组织部): the users of their scope,
a new user with a role, a new password, deactivation. A granter manages a user only when every
role of that user lies in the granter's scope — never a user who also serves above or beside it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.forms import BootstrapMixin

from ..choices import Role, role_level_error
from ..models import Area, RoleAssignment, User, code_validator, phone_validator
from ..scoping import Action, can_anywhere, in_scopes, scope_condition, user_scopes, visible_users


def manageable(granter, user):
    """Whether `granter` may reset `user`'s password or deactivate them: every role of the user
    lies in the granter's scope for managing roles, and the user is no superuser nor the granter."""
    if user.pk == granter.pk or user.is_superuser:
        return False
    if granter.is_superuser:
        return True
    scopes = user_scopes(granter, Action.MANAGE_ROLES)
    codes = list(RoleAssignment.objects.filter(user=user).values_list("area__code", flat=True))
    return bool(codes) and all(in_scopes(code, scopes) for code in codes)


def require_granter(request):
    if not can_anywhere(request.user, Action.MANAGE_ROLES):
        raise Http404


def roles_in_scope(granter):
    assignments = RoleAssignment.objects.select_related("area").order_by("area__code", "role")
    if granter.is_superuser:
        return assignments
    return assignments.filter(scope_condition("area__code", user_scopes(granter, Action.VIEW)))


def users_trail():
    return {"url": reverse("orgs:user_list"), "label": _("用户")}


@login_required
def user_list(request):
    require_granter(request)
    users = visible_users(request.user).prefetch_related(
        Prefetch("role_assignments", queryset=roles_in_scope(request.user), to_attr="roles_shown")
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(last_name__contains=query) | Q(first_name__contains=query)
        )
    from django.core.paginator import Paginator

    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/user_list.html", {"page_obj": page, "paginator": page.paginator, "query": query})


def visible_user_or_404(request, pk):
    require_granter(request)
    return get_object_or_404(visible_users(request.user), pk=pk)


@login_required
def user_detail(request, pk):
    user = visible_user_or_404(request, pk)
    assignments = list(roles_in_scope(request.user).filter(user=user).select_related("area"))
    return render(
        request,
        "orgs/user_detail.html",
        {
            "shown_user": user,
            "assignments": assignments,
            "can_manage": manageable(request.user, user),
            "revocable": revocable_ids(request.user, assignments),
        },
    )


def revocable_ids(granter, assignments):
    scopes = None if granter.is_superuser else user_scopes(granter, Action.MANAGE_ROLES)
    return {a.pk for a in assignments if scopes is None or in_scopes(a.area.code, scopes)}


class NewUserForm(BootstrapMixin, forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=gettext_lazy("登录时使用，字母、数字或 @ . + - _"),
    )
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=150)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=20, required=False, validators=[phone_validator])
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[("", gettext_lazy("请选择角色")), *Role.choices])
    area_code = forms.CharField(
        label=gettext_lazy("管辖区划代码"),
        max_length=32,
        validators=[code_validator],
        help_text=gettext_lazy(
            "该用户负责的区划的代码，可在“区划”页面按名称搜索后复制。组织部授予市、区，街道干部授予街道，依此类推。"
        ),
    )
    password1 = forms.CharField(label=gettext_lazy("初始密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=gettext_lazy("再次输入初始密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, granter, **kwargs):
        super().__init__(*args, **kwargs)
        self.granter = granter

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("该用户名已被使用，请换一个。"))
        return username

    def clean_area_code(self):
        area = (
            Area.objects.scoped(self.granter, Action.MANAGE_ROLES).filter(code=self.cleaned_data["area_code"]).first()
        )
        if area is None:
            raise ValidationError(_("找不到该区划，或您无权在该区划授权。"))
        self.area = area
        return area.code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif cleaned.get("password1"):
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(cleaned["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        if cleaned.get("role") and hasattr(self, "area"):
            error = role_level_error(cleaned["role"], self.area)
            if error:
                self.add_error("role", error)
        return cleaned

    def save(self):
        data = self.cleaned_data
        name = data["name"].strip()
        user = User.objects.create_user(
            username=data["username"],
            password=data["password1"],
            last_name=name[:1],
            first_name=name[1:],
            phone=data["phone"],
        )
        RoleAssignment.objects.create(user=user, area=self.area, role=data["role"])
        return user


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    require_granter(request)
    form = NewUserForm(request.POST or None, granter=request.user, initial={"area_code": request.GET.get("area", "")})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
        messages.success(request, _("已创建用户“{name}”，请把用户名和初始密码告知本人。").format(name=user))
        return redirect("orgs:user_detail", pk=user.pk)
    return render(
        request,
        "generic/object_edit.html",
        {"form": form, "title": _("新建用户"), "cancel_url": reverse("orgs:user_list"), "trail_link": users_trail()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_password(request, pk):
    user = visible_user_or_404(request, pk)
    if not manageable(request.user, user):
        raise Http404
    form = SetPasswordForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
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
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_active(request, pk):
    """Deactivate (or reactivate) a user, after a confirmation page."""
    user = visible_user_or_404(request, pk)
    if not manageable(request.user, user):
        raise Http404
    if request.method == "POST":
        user.is_active = not user.is_active
        user.save(update_fields=["is_active"])
        text = _("已停用用户“{name}”，其无法再登录。") if not user.is_active else _("已恢复用户“{name}”。")
        messages.success(request, text.format(name=user))
        return redirect("orgs:user_detail", pk=user.pk)
    return render(
        request,
        "generic/confirm.html",
        {
            "title": _("停用用户“{name}”").format(name=user)
            if user.is_active
            else _("恢复用户“{name}”").format(name=user),
            "question": _("停用后该用户无法登录，其角色授权保留，可以随时恢复。确定停用吗？")
            if user.is_active
            else _("恢复后该用户可以重新登录。确定恢复吗？"),
            "confirm_label": _("停用") if user.is_active else _("恢复"),
            "danger": user.is_active,
            "cancel_url": reverse("orgs:user_detail", args=[user.pk]),
        },
    )
