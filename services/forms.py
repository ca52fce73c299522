"""The lists' and the gate's forms: every choice narrowed to the user's scope (ScopedModelForm)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from orgs.choices import AreaLevel
from orgs.models import Department
from orgs.scoping import user_departments, user_scopes

from . import admission, lists
from .choices import TaskStatus, VersionStatus
from .models import LEVELS_OF_KIND, GateTask, ListItem, ListVersion, ServiceList
from .permissions import KEEP_LISTS


class ServiceListForm(ScopedModelForm):
    """A list of one's own area (a cadre keeps the lists of the area assigned, not those below);
    its first draft is made with it."""

    class Meta:
        model = ServiceList
        fields = ["area", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "area" in self.fields:
            own = [scope.code for scope in user_scopes(self.user, KEEP_LISTS) if not scope.strict]
            levels = {level for levels in LEVELS_OF_KIND.values() for level in levels}
            queryset = self.fields["area"].queryset.filter(level__in=levels)
            self.fields["area"].queryset = queryset if self.user.is_superuser else queryset.filter(code__in=own)
        if self.instance.pk and self.instance.versions.exclude(status=VersionStatus.DRAFT).exists():
            for field in self.fields.values():  # its published versions are of this area and kind
                field.disabled = True
                field.help_text = _("该清单已有发布过的版本，区划和类型不能更改。")

    def save(self, commit=True):
        adding = self.instance.pk is None
        service_list = super().save(commit=commit)
        if adding and commit:
            lists.draft_from(service_list, self.user)
        return service_list


class ListVersionForm(ScopedModelForm):
    """A new draft of a list (the published version's items copied), or a draft's note."""

    class Meta:
        model = ListVersion
        fields = ["service_list", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["service_list"]  # a version stays with its list

    def clean(self):
        cleaned = super().clean()
        service_list = cleaned.get("service_list")
        if self.instance.pk is None and service_list is not None:
            draft = service_list.versions.filter(status=VersionStatus.DRAFT).first()
            if draft is not None:
                raise ValidationError(
                    _("{list}已有草稿（第{number}版），请先发布或删除它。").format(
                        list=service_list, number=draft.number
                    )
                )
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is not None:
            return super().save(commit=commit)
        version = lists.draft_from(self.cleaned_data["service_list"], self.user)
        if self.cleaned_data.get("note"):
            version.note = self.cleaned_data["note"]
            version.save(update_fields=["note", "at"])
        self.instance = version
        return version


class ListItemForm(ScopedModelForm):
    """An item of a draft (a published version is not edited)."""

    class Meta:
        model = ListItem
        fields = list(ListItem.FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("legal_basis", "steps", "materials")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = self.fields["version"].queryset.filter(status=VersionStatus.DRAFT)


class GateTaskForm(ScopedModelForm):
    """A task a department pushes to a community: its own department, a community of its area (by
    code). Saving screens it against the community's admission list (services/admission.py)."""

    typed_keys = {"community": "code"}

    class Meta:
        model = GateTask
        fields = ["department", "community", "name", "content", "due_on"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = self.fields["community"].queryset.filter(level=AreaLevel.COMMUNITY)
        self.fields["community"].help_text = _("填写社区的区划代码。")
        mine = Department.objects.filter(pk__in=user_departments(self.user))
        self.fields["department"].queryset = mine
        if len(mine) == 1 and not self.instance.pk:
            self.initial.setdefault("department", mine[0].pk)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status != TaskStatus.STOPPED:
            raise ValidationError(
                _("“{name}”已{status}，不能修改。").format(
                    name=self.instance.name, status=self.instance.get_status_display()
                )
            )
        return cleaned

    def save(self, commit=True):
        return admission.push(self.instance, self.user)
