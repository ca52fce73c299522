from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin
from core.registry import registry

from .choices import LEVEL_RANK, ROLE_LEVELS, AreaLevel, Role, role_level_error
from .models import (
    Area,
    Department,
    RoleAssignment,
    User,
    code_validator,
    department_error,
    phone_validator,
)
from .places import AreaPicker, check_picked
from .scoping import Action, can, manageable_users, user_scopes


def level_choices_below(level):
    return [(value, label) for value, label in AreaLevel.choices if LEVEL_RANK[value] > LEVEL_RANK[level]]


class AreaCreateForm(BootstrapMixin, forms.ModelForm):
    """A new area under `parent`; the tree module validates its place and inserts it."""

    class Meta:
        model = Area
        fields = ["code", "name", "level"]
        help_texts = {"code": _("须以上级区划代码开头，例如上级为 220104 时填写 220104001。")}

    def __init__(self, *args, parent, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.fields["level"].choices = level_choices_below(parent.level)
        self.fields["code"].initial = parent.code

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.startswith(self.parent.code) or len(code) <= len(self.parent.code):
            raise ValidationError(
                _("区划代码必须以上级区划代码 %(parent)s 开头并且更长。"), params={"parent": self.parent.code}
            )
        return code

    def save(self, commit=True):
        self.instance.parent = self.parent
        return super().save(commit)


class AreaEditForm(BootstrapMixin, forms.ModelForm):
    """Name and level; the code and the parent change only by moving."""

    class Meta:
        model = Area
        fields = ["name", "level"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .tree import allowed_levels

        allowed = allowed_levels(self.instance)
        self.fields["level"].choices = [(v, label) for v, label in AreaLevel.choices if v in allowed]


class AreaMoveForm(BootstrapMixin, forms.Form):
    parent_code = forms.CharField(label=_("新的上级区划代码"), max_length=32, validators=[code_validator])
    code = forms.CharField(
        label=_("移动后的区划代码"),
        max_length=32,
        validators=[code_validator],
        help_text=_("须以新上级的代码开头；下级区划的代码随之改变。"),
    )

    def __init__(self, *args, area, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.area, self.user = area, user

    def clean_parent_code(self):
        code = self.cleaned_data["parent_code"]
        parent = Area.objects.scoped(self.user, Action.VIEW).filter(code=code).first()
        if parent is None:
            raise ValidationError(_("找不到该区划，或您无权在其下管理区划。"))
        self.parent = parent
        return code

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        if code and not can(self.user, Action.MANAGE_TREE, code):
            self.add_error("code", _("移动后的区划不在您可管理的范围内。"))
        return cleaned


class RoleAssignmentForm(BootstrapMixin, forms.ModelForm):
    """Grant a role over an area; only areas where the user may manage roles are accepted."""

    area_code = forms.CharField(
        label=_("管辖区划"),
        max_length=32,
        required=False,
        validators=[code_validator],
        help_text=_("输入区划名称搜索，再点选一项；同名的可加上级名称，如“文化社区 第3网格”。只列出您可以授权的区划。"),
    )

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "area_code", "department"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = user
        use_area_picker(self, user)
        use_department_choice(self, user)
        # Only a user the granter manages: every role of theirs strictly below the granter.
        self.fields["user"].queryset = manageable_users(user, active=True).order_by("username")
        self.fields["role"].choices = [("", _("请选择角色")), *((r.value, r.label) for r in grantable_roles(user))]

    def clean(self):
        cleaned = super().clean()
        area = picked_area(self, self.request_user)
        if area is not None:
            self.instance.area = area
            error = cleaned.get("role") and role_level_error(cleaned["role"], area)
            if error:
                self.add_error("role", error)
        check_department(self, area)
        return cleaned

    def validate_unique(self):
        if (
            self.instance.area_id
            and RoleAssignment.objects.filter(
                user=self.cleaned_data.get("user"), area=self.instance.area, role=self.cleaned_data.get("role")
            ).exists()
        ):
            self.add_error(None, _("该用户在此区划已有这个角色。"))


# --- a new user, from user management ------------------------------------------------------------


def grantable_roles(granter):
    """The roles `granter` may grant somewhere: those whose levels lie strictly below the top of
    the granter's scope for managing roles (a district's 组织部 grants no 组织部)."""
    if granter.is_superuser:
        return list(Role)
    codes = [scope.code for scope in user_scopes(granter, Action.MANAGE_ROLES)]
    ranks = [LEVEL_RANK[level] for level in Area.objects.filter(code__in=codes).values_list("level", flat=True)]
    if not ranks:
        return []
    return [role for role in Role if any(LEVEL_RANK[level] > min(ranks) for level in ROLE_LEVELS[role])]


# The levels where some role may be granted: the new user's and the granted role's area picker.
GRANTABLE_LEVELS = [level for level in AreaLevel.values if any(level in levels for levels in ROLE_LEVELS.values())]


def use_area_picker(form, granter):
    """The form's `area_code` is picked by name among the areas where `granter` may grant the
    form's `role`; choosing the role narrows the areas found to the levels where it fits."""
    field = form.fields["area_code"]
    field.widget = AreaPicker(
        granter,
        levels=GRANTABLE_LEVELS,
        action=Action.MANAGE_ROLES,
        role_field="role",
        placeholder=_("输入区划名称，如：前进街道"),
        attrs={"class": "form-control"},
    )
    field.widget.role = form.data.get("role") if form.is_bound else form.initial.get("role")


def use_department_choice(form, granter):
    """The form's `department`: a functional department of the granter's scope (its city or
    districts), asked for the 职能部门 role only."""
    field = form.fields["department"]
    field.queryset = Department.objects.scoped(granter, Action.VIEW).select_related("area")
    field.label_from_instance = lambda department: f"{department.name}（{department.area.name}）"
    field.empty_label = _("请选择职能部门")
    field.required = False
    field.help_text = _("仅“职能部门”角色需要选择：该用户所在的部门；部门须属于所选区划或其上级的市、区。")


def check_department(form, area):
    """The department fits the role and the area (orgs.models.department_error)."""
    role = form.cleaned_data.get("role")
    if not role or account_kind(role):
        return
    department = form.cleaned_data.get("department")
    if role != Role.DEPARTMENT and department is not None:
        form.cleaned_data["department"] = None  # a choice left from another role: not kept
        return
    error = department_error(role, area, department)
    if error:
        form.add_error("department", error)


def picked_area(form, granter):
    """The area picked in `form` (by its code, or by a name that named one area), if the granter
    may grant there; else None, with the reason on the field."""
    code = (form.cleaned_data.get("area_code") or "").strip()
    if not code:
        check_picked(form, "area_code", required=True)
        return None
    area = Area.objects.scoped(granter, Action.MANAGE_ROLES).filter(code=code).first()
    if area is None:
        form.add_error("area_code", _("找不到该区划，或您无权在该区划授权。"))
    return area


def account_kind(role):
    """The registered account kind (core.registry.AccountKind) a role choice names, or None: not a
    role over an area but another app's record, e.g. a reporting unit's account (双报到)."""
    return next((kind for kind in registry.account_kinds if kind.key == role), None)


class NewUserForm(BootstrapMixin, forms.Form):
    """A new user with one role over an area of the granter's scope, or the account of a record of
    the granter's scope that another app registered (a reporting unit's, core.registry.AccountKind)."""

    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("登录时使用，字母、数字或 @ . + - _"),
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _。")},
    )
    name = forms.CharField(label=_("姓名"), max_length=150)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, validators=[phone_validator])
    role = forms.ChoiceField(label=_("角色"))
    area_code = forms.CharField(
        label=_("管辖区划"),
        max_length=32,
        required=False,
        help_text=_("输入区划名称搜索，再点选一项；同名的可加上级名称，如“文化社区 第3网格”。只列出您可以授权的区划。"),
    )
    department = forms.ModelChoiceField(label=_("职能部门"), queryset=Department.objects.none(), required=False)
    password1 = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入初始密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, granter, **kwargs):
        super().__init__(*args, **kwargs)
        self.granter = granter
        self.area = None
        choices = [(role.value, role.label) for role in grantable_roles(granter)]
        self.account_keys = []
        for kind in registry.account_kinds:
            records = kind.records(granter)
            self.fields[kind.field] = forms.ModelChoiceField(
                label=kind.field_label, queryset=records, required=False, help_text=kind.help_text
            )
            if records.exists():
                choices.append((kind.key, kind.label))
                self.account_keys.append(kind.key)
        self.fields["role"].choices = [("", _("请选择角色")), *choices]
        use_area_picker(self, granter)
        use_department_choice(self, granter)

    @property
    def account_fields(self):
        """(role choice, bound field) of each account kind the granter may create."""
        return [(kind.key, self[kind.field]) for kind in registry.account_kinds if kind.key in self.account_keys]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("该用户名已被使用，请换一个。"))
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif cleaned.get("password1"):
            try:
                validate_password(cleaned["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        role = cleaned.get("role")
        kind = account_kind(role)
        if kind is not None:
            if not cleaned.get(kind.field):
                self.add_error(kind.field, kind.required_error)
        else:
            self.clean_area(role)
        return cleaned

    def clean_area(self, role):
        self.area = picked_area(self, self.granter)
        if self.area is not None and role:
            error = role_level_error(role, self.area)
            if error:
                self.add_error("role", error)
        check_department(self, self.area)

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
        kind = account_kind(data["role"])
        if kind is not None:
            kind.attach(user, data[kind.field])
        else:
            RoleAssignment.objects.create(
                user=user, area=self.area, role=data["role"], department=data.get("department")
            )
        return user
