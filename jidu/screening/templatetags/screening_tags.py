from django import template
from django.middleware.csrf import get_token

register = template.Library()


@register.inclusion_tag("screening/_panel_body.html", takes_context=True)
def screening_panel(context, order):
    """The screening panel for an order page (the page has already checked the order's scope)."""
    from jidu.screening.views import panel_context

    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"visible": False}
    return panel_context(order, user, csrf_token=get_token(request) if request is not None else None)


@register.filter
def score(value):
    """0.9134 → "0.91"; None → ""."""
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return ""


@register.filter
def correction_value(value):
    """A correction's stored value for display: 是/否, kind name, list joined."""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（无）"
    return {"violation": "举报违法行为", "conduct": "投诉执法行为", "": "（不适用）"}.get(value, value)
