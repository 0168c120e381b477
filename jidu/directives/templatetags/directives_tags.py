from django import template

from jidu.org import scope

register = template.Library()


@register.inclusion_tag("directives/_order_panel_body.html", takes_context=True)
def directives_panel(context, order=None):
    """The directives of an order, on the order page (what the user's scope lets them see)."""
    request = context.get("request")
    order = order or context.get("order")
    user = getattr(request, "user", None)
    if request is None or order is None or not user.has_perm("directives.view_directive"):
        return {"hidden": True}
    from jidu.directives.models import Directive

    qs = scope.restrict(user, Directive.objects.filter(order=order).select_related("addressee")).order_by(
        "-proposed_at", "-id")
    from jidu.directives.forms import StartForm

    can_start = user.has_perm("directives.issue_directive") and order.lead_department_id is not None
    return {"order": order, "directives": list(qs[:20]), "can_start": can_start,
            "start_form": StartForm() if can_start else None, "csrf_token": context.get("csrf_token")}


@register.filter
def reply_left(directive):
    from jidu.directives.services import reply_time_left

    return reply_time_left(directive)
