from django import template

register = template.Library()


@register.filter
def num(value):
    """12,345, or a dash when there is no value."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@register.filter
def pct(value):
    return "—" if value is None else f"{value:.0f}%"


@register.filter
def points(value):
    """A change in percentage points, signed."""
    if value is None:
        return "—"
    if round(value) == 0:
        return "no change"
    return f"{value:+.0f} points"


@register.filter
def share_of(summary, year):
    return summary.share_in_decile_1(year)


@register.filter
def in_decile_1(summary, year):
    return summary.in_decile_1(year)


@register.filter
def median_rank(summary, year):
    return summary.median_rank.get(year)


@register.filter
def mean_score(summary, year):
    return summary.mean_score.get(year)


@register.filter
def decimal(value):
    if value is None:
        return "—"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text
