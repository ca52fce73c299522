from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def figure_value(figures, figure):
    """A child's headline figure in the dashboard's table: a count, or a share with its numerator
    of denominator; a dash where the rollup found none."""
    numerator, denominator = figures.get(figure.key, (None, None))
    if numerator is None or (figure.share and not denominator):
        return "—"
    if figure.share:
        return format_html(
            '{}% <small class="text-body-secondary">({}/{})</small>',
            f"{100 * numerator / denominator:.1f}",
            numerator,
            denominator,
        )
    return f"{numerator:,}"


@register.filter
def sort_value(figures, figure):
    """What a column sorts by: the share or the count."""
    numerator, denominator = figures.get(figure.key, (None, None))
    if numerator is None:
        return ""
    if figure.share:
        return f"{numerator / denominator:.4f}" if denominator else ""
    return numerator


@register.filter
def sparkline(trend):
    """The points of a trend, for dashboard.js to draw (a gap where a period has none)."""
    return ",".join("" if points is None else f"{points}" for points in trend)


@register.filter
def share(value):
    """A share (0–1) as a percentage: 0.6 → "60%"."""
    if value in (None, ""):
        return "—"
    return f"{float(value) * 100:.4g}%"
