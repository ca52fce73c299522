"""Model fields for who a person is: a phone number and a resident ID number (core.identity).

Declared once on the model, each field

- cleans through core.identity wherever a value comes in — the form (its form field), the API
  (core.api's serializers map it to an identity-cleaning field) and an import (the resource
  cleans the model instance) — so "+86 139 1234 5678" is stored as 13912345678 everywhere, and a
  wrong check digit is refused with the same Chinese reason;
- marks itself as personal data: the model's `personal_data_fields` gets the field, so that the
  table's column, the serializer's field and the export are masked and every whole view logged
  (core.personal_data), without the model saying so a second time.

    class ServicePoint(AreaRecord):
        phone = PhoneField("联系电话")
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from . import identity


def cleaned(clean, value):
    """`value` cleaned by `clean` (a core.identity function); its ValueError as a ValidationError."""
    if value in (None, ""):
        return value
    try:
        return clean(str(value))
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from None


class IdentityFormField(forms.CharField):
    """A form's phone or ID number, cleaned through core.identity."""

    def __init__(self, *args, clean, **kwargs):
        self.identity_clean = clean
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return cleaned(self.identity_clean, super().to_python(value))

    def widget_attrs(self, widget):
        """No maxlength in the page: a number is typed as it is written, spaces and all ("+86 139
        1234 5678"); its length is checked once cleaned."""
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class PersonalField(models.CharField):
    """A CharField holding personal data, cleaned by `identity_clean` (a core.identity function)."""

    identity_clean = None
    default_max_length = 20

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.default_max_length)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self.default_max_length:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        else:
            kwargs["blank"] = False
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        # Personal data said once: the model's personal_data_fields gets this field — unless the
        # model declares where its value is read (a roster's person: "holder.phone").
        declared = getattr(cls, "personal_data_fields", {})
        cls.personal_data_fields = declared if name in declared else {**declared, name: name}

    def clean(self, value, model_instance):
        return cleaned(type(self).identity_clean, super().clean(value, model_instance))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": IdentityFormField, "clean": type(self).identity_clean, **kwargs})


class PhoneField(PersonalField):
    """联系电话: an 11-digit mobile number or a landline with its area code (core.identity.phone)."""

    identity_clean = staticmethod(identity.phone)
    default_max_length = 20


class IdNumberField(PersonalField):
    """身份证号: 18 characters with a valid check character (core.identity.id_number)."""

    identity_clean = staticmethod(identity.id_number)
    default_max_length = 18


class CreditCodeField(models.CharField):
    """统一社会信用代码 (GB 32100): 18 characters with a valid check character, cleaned through
    core.identity.credit_code wherever a value comes in — the form, the API (DeclaredSerializer) and
    an import — with the same Chinese reason. Not personal data: an organisation's code is public."""

    identity_clean = staticmethod(identity.credit_code)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 18:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def clean(self, value, model_instance):
        return cleaned(type(self).identity_clean, super().clean(value, model_instance))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": IdentityFormField, "clean": type(self).identity_clean, **kwargs})
