"""The requests' forms: every choice narrowed to the user's scope (ScopedModelForm); a place typed
by its code and refused outside the scope; a photo checked as every upload is (core.files)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import files
from core.forms import BootstrapMixin, ScopedModelForm
from core.guard import CHANGE
from core.widgets import FileInput
from orgs.choices import AreaLevel
from orgs.models import Area, Department
from orgs.scoping import Action, user_scopes

from .models_requests import (
    BODY_LEVELS,
    PLACE_LEVELS,
    Deliberation,
    RequestCategory,
    ResidentRequest,
    RoutingRule,
    ancestors_and_self,
)
from .permissions import DELIBERATE, KEEP_ROUTING, RECEIVE_REQUEST, TRANSFER_REQUEST

PHOTO_KINDS = (files.IMAGE,)
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def departments_above(user, action):
    """The functional departments of the city and district above the user's areas for `action`."""
    codes = sorted({code for scope in user_scopes(user, action) for code in ancestors_and_self(scope.code)})
    queryset = Department.objects.select_related("area")
    return queryset if user.is_superuser else queryset.filter(area__code__in=codes)


def transfer_area(user, code):
    """The grid, community or street a request is transferred to, typed by its code, in the
    transferring user's scope; None for no code, refused in Chinese otherwise."""
    code = (code or "").strip()
    if not code:
        return None
    area = Area.objects.scoped(user, TRANSFER_REQUEST).filter(code=code, level__in=BODY_LEVELS).first()
    if area is None:
        raise ValidationError(_("找不到网格、社区或街道“{code}”，或它不在您的管辖范围内。").format(code=code))
    return area


def transfer_department(user, pk):
    """The functional department a request is transferred to, of the city or district above the
    user's areas; None for none, refused in Chinese otherwise."""
    if pk in (None, ""):
        return None
    department = departments_above(user, TRANSFER_REQUEST).filter(pk=pk).first()
    if department is None:
        raise ValidationError(_("编号为 {pk} 的职能部门不存在或不在您所在的区、市。").format(pk=pk))
    return department


def check_photo(photo):
    if photo and hasattr(photo, "size"):
        files.check_upload(photo, kinds=PHOTO_KINDS, max_bytes=PHOTO_MAX_BYTES)
    return photo


class RequestCategoryForm(ScopedModelForm):
    action = KEEP_ROUTING

    class Meta:
        model = RequestCategory
        fields = ["area", "name", "time_limit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = self.fields["area"].queryset.filter(
            level__in=(AreaLevel.STREET, AreaLevel.DISTRICT)
        )


class RoutingRuleForm(ScopedModelForm):
    """A row of the street's routing table: a category, the subtree it covers, and the body."""

    action = KEEP_ROUTING
    choice_actions = {"category": Action.VIEW, "responsible_area": KEEP_ROUTING}
    typed_keys = {"area": "code", "responsible_area": "code"}

    class Meta:
        model = RoutingRule
        fields = ["category", "area", "responsible_area", "responsible_department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_area"].queryset = self.fields["responsible_area"].queryset.filter(
            level__in=BODY_LEVELS
        )
        self.fields["responsible_department"].queryset = departments_above(self.user, KEEP_ROUTING)


class RequestForm(ScopedModelForm):
    """A resident's request as a grid, a community or a street receives it: the place is typed by
    its code (down to the building) within the user's scope; the body and the due date follow from
    the routing table and the category."""

    action = RECEIVE_REQUEST
    choice_actions = {"category": Action.VIEW}
    typed_keys = {"area": "code"}

    class Meta:
        model = ResidentRequest
        fields = ["area", "channel", "category", "description", "photo", "resident_name", "resident_phone"]
        labels = {"area": _("事发地点（区划代码）")}
        help_texts = {"area": _("网格、楼栋、社区或街道的代码，须在您的管辖范围内。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = self.fields["area"].queryset.filter(level__in=PLACE_LEVELS)
        self.fields["photo"].widget = FileInput(attrs={"accept": files.accept_attribute(PHOTO_KINDS)})
        self.fields["photo"].help_text = _("JPG 或 PNG 图片，不超过 5 MB。")

    def clean_photo(self):
        return check_photo(self.cleaned_data.get("photo"))

    def clean(self):
        cleaned = super().clean()
        refused = self.instance.refuses(CHANGE) if self.instance.pk else ""  # also asked by the kit's views
        if refused:
            raise ValidationError(refused)
        place, category = cleaned.get("area"), cleaned.get("category")
        if place is not None and category is not None and not place.code.startswith(category.area.code):
            self.add_error(
                "category",
                _("“{category}”是{owner}的诉求类型，不适用于{place}。").format(
                    category=category, owner=category.area.name, place=place.name
                ),
            )
        return cleaned

    def save(self, commit=True):
        from .requests_flow import receive

        request = super().save(commit=False)
        if commit:
            receive(request, self.user)
        return request


class TransferForm(BootstrapMixin, forms.Form):
    """转办: another body — an area of the tree (typed by its code) or a department — and why."""

    responsible_area = forms.CharField(
        label=_("转至承办区划（代码）"), required=False, help_text=_("网格、社区或街道的代码。")
    )
    responsible_department = forms.ModelChoiceField(
        label=_("或转至职能部门"), queryset=Department.objects.none(), required=False
    )
    reason = forms.CharField(label=_("转办原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["responsible_department"].queryset = departments_above(user, TRANSFER_REQUEST)

    def clean_responsible_area(self):
        return transfer_area(self.user, self.cleaned_data.get("responsible_area"))

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("responsible_area")) == bool(cleaned.get("responsible_department")):
            if "responsible_area" not in self.errors:
                raise ValidationError(_("请选择转办的承办区划或承办部门（只选一项）。"))
        return cleaned


class DeliberationForm(ScopedModelForm):
    """五步议事法: the request it belongs to, the topic, who takes part, the five steps and the outcome."""

    action = DELIBERATE

    class Meta:
        model = Deliberation
        fields = [
            "request",
            "topic",
            "participants",
            *(name for step in Deliberation.STEPS for name in step),
            "outcome",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("participants", "collect", "review", "discuss", "publicise", "evaluate", "outcome")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = self.fields["request"].queryset.select_related("area")
        for name in self.fields:
            if name.endswith("_on"):
                self.fields[name].widget = forms.DateInput(attrs={"type": "date", "class": "form-control"})
        if self.instance.pk:
            self.fields["request"].disabled = True
