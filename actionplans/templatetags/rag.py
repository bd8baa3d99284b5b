from django import template

from actionplans.presenters import status_tag

register = template.Library()


@register.inclusion_tag("components/status_tag.html")
def status(code):
    """{% status output.status %} renders the status with its symbol and word."""
    return {"tag": status_tag(code)}
