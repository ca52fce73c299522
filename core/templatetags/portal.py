from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import personal_data

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, obj, field):
    """A phone or ID number, masked; with a reveal button for users holding the permission."""
    value = personal_data.resolve(obj, type(obj).personal_data_fields[field])
    masked = personal_data.mask(value)
    if not value or not personal_data.can_reveal(context["request"].user):
        return format_html('<span class="personal">{}</span>', masked)
    url = reverse("core:reveal_personal_data", kwargs={"model": obj._meta.label_lower, "pk": obj.pk, "field": field})
    return format_html(
        '<span class="personal">{} <button type="button" class="btn btn-link btn-sm p-0 align-baseline" '
        'hx-post="{}" hx-target="closest .personal" hx-swap="outerHTML" title="{}">{}</button></span>',
        masked,
        url,
        _("查看完整号码（将被记录）"),
        _("显示"),
    )


@register.filter
def verbose(obj, field):
    return obj._meta.get_field(field).verbose_name
