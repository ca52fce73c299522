from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import personal_data

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, obj, field):
    """A phone or ID number, masked; with a reveal button for users holding the permission."""
    return personal_html(context["request"].user, obj, field)


def personal_html(user, obj, field, *, can_reveal=None):
    """`can_reveal`: whether `user` may see it whole, when the caller knows it already."""
    value = personal_data.resolve(obj, type(obj).personal_data_fields[field])
    masked = personal_data.mask(value)
    if can_reveal is None:
        can_reveal = personal_data.can_reveal(user)
    if not value or not can_reveal:
        return mark_safe(f'<span class="personal">{escape(masked)}</span>')  # noqa: S308  (escaped)
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
def yuan(value):
    """An amount in yuan — a Decimal, or its text as a snapshot keeps it ("50000.00") — as the pages
    show money: two places and thousands separators ("50,000.00"); "" for nothing, and text that is
    not a number as it is."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    return f"{amount.quantize(Decimal('0.01')):,.2f}"


@register.filter
def verbose(obj, field):
    return obj._meta.get_field(field).verbose_name


@register.simple_tag(takes_context=True)
def registered_links(context, obj):
    """The buttons other apps add to `obj`'s page (core.registry), as the user may use them."""
    from ..registry import registry

    request = context["request"]
    return format_html_join(
        "",
        '<a class="btn btn-sm btn-outline-success" href="{}">{}{}</a>',
        (
            (
                link.url(obj),
                format_html('<i class="bi bi-{}" aria-hidden="true"></i> ', link.icon) if link.icon else "",
                link.label,
            )
            for link in registry.links_for(request, obj)
        ),
    )


@register.simple_tag(takes_context=True)
def registered_panels(context, obj):
    """The cards other apps add to `obj`'s page (core.registry), for this user."""
    from ..registry import registry

    request = context["request"]
    return mark_safe(
        "".join(
            render_to_string(template, {**panel_context, "object": obj}, request=request)
            for template, panel_context in registry.panels_for(request, obj)
        )
    )


@register.simple_tag(takes_context=True)
def slot_panels(context, slot, obj):
    """The cards other apps add to a page's named slot (core.registry `add_panel(slot, …)`), such
    as "grids.coverage" and "grids.roster": a lower app's page shows a higher app's card without
    importing it. Each panel's context is given `obj` (the page's area)."""
    from ..registry import registry

    request = context["request"]
    return mark_safe(
        "".join(
            render_to_string(template, {**panel_context, "object": obj}, request=request)
            for template, panel_context in registry.panels_for(request, obj, slot=slot)
        )
    )


@register.simple_tag(takes_context=True)
def home_widgets(context, section):
    """The home-page tiles of `section` that have something for this user."""
    from ..registry import registry

    return mark_safe(registry.render_widgets(context["request"], section))


@register.simple_tag(takes_context=True)
def can_view(context, obj):
    """Whether the user may open `obj`'s page: ancestors outside the scope are text, not links."""
    from .. import gate

    return gate.can(context["request"].user, "view", obj)
