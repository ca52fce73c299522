"""Form pieces every app's forms use: Bootstrap classes, scoped choices, the upload form.

A scoped choice field of more choices than a person can read (CHOICE_LIST_BOUND) is a
`ChoicePicker`: a search box whose matches (core:pick, htmx, as one types) are radio buttons
named after the field — the pattern of the area picker (orgs.places.AreaPicker), for any scoped
model; below the bound, a plain <select>.
"""

import json
import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .widgets import FileInput


def bootstrap_field(field):
    """Bootstrap classes on one field's widget, and "请选择" for Django's blank choice: what every
    portal form does to its fields (a field a form adds after its __init__ calls it itself)."""
    widget = field.widget
    if getattr(field, "empty_label", None) == "---------":
        field.empty_label = _("请选择")
    if isinstance(field, forms.ChoiceField) and not hasattr(field, "queryset"):
        choices = list(field.choices)
        if choices and choices[0] == ("", "---------"):
            field.choices = [("", _("请选择")), *choices[1:]]
    if isinstance(widget, forms.CheckboxInput):
        widget.attrs.setdefault("class", "form-check-input")
    elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        widget.attrs.setdefault("class", "check-list")  # boxes side by side (portal.css), not text boxes
    elif isinstance(widget, forms.Select):
        widget.attrs.setdefault("class", "form-select")
    else:
        widget.attrs.setdefault("class", "form-control")


class BootstrapMixin:
    """Bootstrap classes on every widget, set once for every form of the portal."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bootstrap_field(field)


class ImportUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("导入文件"),
        help_text=_("支持 Excel（.xlsx）和 CSV（UTF-8 或 GBK 编码）。"),
        widget=FileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )

    def __init__(self, *args, max_bytes, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        for name, label, help_text in options:  # the importer's choices about the whole sheet
            self.fields[name] = forms.BooleanField(label=label, help_text=help_text, required=False)
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("文件大小超过上限 %(limit)d MB，请拆分后分批导入。"), params={"limit": self.max_bytes // 1048576}
            )
        if upload.size == 0:
            raise ValidationError(_("文件是空的。"))
        return upload


NEW_PASSWORD_HELP = _("至少 8 个字符，不能是常见密码（如 12345678、password）。")


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login, in the portal's words. A deactivated user is told so — but only after the
    right password, so that the page never tells which usernames exist."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。密码区分大小写。"),
        "inactive": _("您的账号已停用，无法登录。如需继续使用，请联系为您开设账号的组织部恢复。"),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and self.deactivated_with_right_password():
                raise ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise

    def deactivated_with_right_password(self):
        if self.request is not None and getattr(self.request, "axes_locked_out", False):
            return False  # locked out: the lockout page answers, and no password is tried
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return False
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        return user is not None and not user.is_active and user.check_password(password)


class SetPasswordForm(BootstrapMixin, auth_forms.SetPasswordForm):
    """A new password set for someone else (user management), in the portal's words."""

    error_messages = {"password_mismatch": _("两次输入的新密码不一致，请重新输入。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = NEW_PASSWORD_HELP
        self.fields["new_password2"].label = _("确认新密码")
        self.fields["new_password2"].help_text = _("请再输入一次新密码。")


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    """Django's password change, styled and worded like every other form of the portal."""

    error_messages = {
        "password_mismatch": _("两次输入的新密码不一致，请重新输入。"),
        "password_incorrect": _("您输入的原密码不正确，请重新输入。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].help_text = NEW_PASSWORD_HELP
        self.fields["new_password2"].label = _("确认新密码")
        self.fields["new_password2"].help_text = _("请再输入一次新密码。")


class ScopedModelForm(BootstrapMixin, forms.ModelForm):
    """A model form whose every choice of a scoped model (an area, an organisation, …) is narrowed
    to what the user may `action` on, so that no form can offer or accept a foreign object: a
    foreign choice fails validation like a missing one. Declare `choice_actions` to ask another
    action for some field ({"organization": "view"})."""

    action = "change"
    choice_actions = {}
    # Choices too many for a list (a city's 165,000 areas) are typed by a key: {"area": "code"}. A
    # to-many field takes several keys, separated by spaces, commas or new lines.
    typed_keys = {}

    def __init__(self, *args, user, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.action = action or self.action
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "scoped"):
                field.queryset = queryset.scoped(user, self.choice_actions.get(name, self.action))
            if name in self.typed_keys:
                type_by_key(field, self.typed_keys[name])
                if self.instance.pk and name not in self.data:
                    self.initial[name] = key_of(self.instance, name, self.typed_keys[name])
            elif queryset is not None and hasattr(queryset, "scoped"):
                pick_past_the_bound(field, self.choice_actions.get(name, self.action))


# --- the choice picker: a scoped choice of more records than a list can show ---------------------

PICK_RESULTS = 20
PICKER_NAME = re.compile(r"[a-z_][a-z0-9_]*")  # the form field a picker fills


def pick_search(queryset, query):
    """The records of `queryset` whose search fields (the model's `pick_search_fields`, else its
    name) hold every word typed; digits alone also match an id."""
    fields = getattr(queryset.model, "pick_search_fields", ("name",))
    condition = Q()
    for word in query.split():
        condition &= Q.create([(f"{field}__icontains", word) for field in fields], connector=Q.OR)
    if query.strip().isdigit():
        condition |= Q(pk=int(query.strip()[:18]))
    return queryset.filter(condition) if query.strip() else queryset.none()


def pick_context(queryset, name, query, chosen_pk):
    """What a picker lists: the record chosen (if in `queryset`) first, then up to PICK_RESULTS
    records that `query` names."""
    chosen = queryset.filter(pk=chosen_pk).first() if str(chosen_pk).isdigit() else None
    found = list(pick_search(queryset, query).order_by("pk")[: PICK_RESULTS + 1])
    results = [obj for obj in found[:PICK_RESULTS] if chosen is None or obj.pk != chosen.pk]
    choices = [{"pk": obj.pk, "label": str(obj)} for obj in ([chosen] if chosen else []) + results]
    return {
        "name": name,
        "query": query,
        "chosen": {"pk": chosen.pk, "label": str(chosen)} if chosen else None,
        "choices": choices,
        "found": bool(found),
        "truncated": len(found) > PICK_RESULTS,
        "limit": PICK_RESULTS,
    }


class ChoicePicker(forms.Widget):
    """A record picked by typing: a search box (`<name>_q`) whose matches (core:pick, htmx) are
    radio buttons named after the field, valued by the record's id; the chosen one stays first and
    checked. Without a script, a name typed that names exactly one record is taken."""

    template_name = "core/widgets/choice_picker.html"

    def __init__(self, queryset, action, attrs=None):
        super().__init__(attrs)
        self.queryset = queryset
        self.action = action
        self.query = ""

    def value_from_datadict(self, data, files, name):
        self.query = data.get(name + "_q", "").strip()
        value = data.get(name) or ""
        if not value and self.query:
            found = list(pick_search(self.queryset, self.query)[:2])
            value = found[0].pk if len(found) == 1 else ""
        return value or None

    def value_omitted_from_data(self, data, files, name):
        return False  # no radio checked is no record, not a field left out

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context.update(pick_context(self.queryset, name, self.query, "" if value is None else value))
        search = {**context["widget"]["attrs"], "placeholder": _("输入名称查找")}
        search["class"] = "form-control"
        context["search_attrs"] = flatatt(search)
        context["url"] = reverse("core:pick", kwargs={"model": self.queryset.model._meta.label_lower})
        context["vals"] = json.dumps({"name": name, "action": self.action})
        return context

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


def pick_past_the_bound(field, action):
    """Make a scoped single choice field a ChoicePicker when its choices pass CHOICE_LIST_BOUND
    (counted up to the bound, never the whole scope)."""
    if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
        return
    bound = settings.CHOICE_LIST_BOUND
    if field.queryset.order_by()[: bound + 1].count() <= bound:
        return
    field.widget = ChoicePicker(field.queryset, action)
    field.error_messages["invalid_choice"] = _("找不到所选的记录，或它不在您的管辖范围内。")


class KeysInput(forms.Textarea):
    """Several keys typed in one box (区划代码, one per line or separated by spaces or commas)."""

    def value_from_datadict(self, data, files, name):
        import re

        return [key for key in re.split(r"[\s,，、;；]+", data.get(name, "")) if key]

    def format_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(v) for v in value)
        return super().format_value(value)


def key_of(instance, name, key):
    """The typed key(s) of `instance`'s `name`: what its edit form shows."""
    value = getattr(instance, name)
    if hasattr(value, "all"):
        return [getattr(obj, key) for obj in value.all()]
    return getattr(value, key) if value is not None else None


def type_by_key(field, key):
    """Make a choice field typed by `key` (a code) instead of picked from a list."""
    field.to_field_name = key
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    field.widget = KeysInput(attrs={"rows": 2}) if multiple else forms.TextInput()
    field.widget.attrs["class"] = "form-control"
    field.widget.attrs["placeholder"] = "填写代码，多个用空格分隔" if multiple else "填写代码"
    field.error_messages["invalid_choice"] = _("找不到“%(value)s”，或它不在您的管辖范围内。")
    field.error_messages["invalid_pk_value"] = _("找不到“%(pk)s”，或它不在您的管辖范围内。")
