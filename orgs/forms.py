from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin

from .choices import LEVEL_RANK, AreaLevel, Role, role_level_error
from .models import Area, RoleAssignment, code_validator
from .scoping import Action, can, visible_users


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

    area_code = forms.CharField(label=_("区划代码"), max_length=32, validators=[code_validator])

    class Meta:
        model = RoleAssignment
        fields = ["user", "role"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = user
        self.fields["user"].queryset = visible_users(user).order_by("username")
        self.fields["role"].choices = Role.choices

    def clean_area_code(self):
        code = self.cleaned_data["area_code"]
        area = Area.objects.scoped(self.request_user, Action.MANAGE_ROLES).filter(code=code).first()
        if area is None:
            raise ValidationError(_("找不到该区划，或您无权在该区划授权。"))
        self.instance.area = area
        return code

    def clean(self):
        cleaned = super().clean()
        if self.instance.area_id and cleaned.get("role"):
            error = role_level_error(cleaned["role"], self.instance.area)
            if error:
                self.add_error("role", error)
        return cleaned

    def validate_unique(self):
        if (
            self.instance.area_id
            and RoleAssignment.objects.filter(
                user=self.cleaned_data.get("user"), area=self.instance.area, role=self.cleaned_data.get("role")
            ).exists()
        ):
            self.add_error(None, _("该用户在此区划已有这个角色。"))
