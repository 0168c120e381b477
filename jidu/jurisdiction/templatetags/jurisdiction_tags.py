from django import template

from jidu.jurisdiction.models import Dispute

register = template.Library()


@register.inclusion_tag("jurisdiction/_order_panel_body.html", takes_context=True)
def advice_panel(context, order=None):
    request = context.get("request")
    order = order or context.get("order")
    user = getattr(request, "user", None)
    if request is None or order is None or not user.has_perm("jurisdiction.view_listentry"):
        return {"hidden": True}
    from jidu.jurisdiction import forms
    from jidu.jurisdiction.services.advice import advise_order

    advice = advise_order(order)
    top = advice["departments"]
    initial = {"lead": top[0]["department_id"] if top else order.lead_department_id,
               "co": [d["department_id"] for d in top[1:3] if d["role"] == "协办"]}
    return {
        "order": order, "advice": advice, "csrf_token": context.get("csrf_token"),
        "open_dispute": Dispute.objects.filter(order=order, state__in=Dispute.UNSETTLED).first(),
        "disputes": order.disputes.order_by("-opened_at")[:5],
        "can_route": user.has_perm("jurisdiction.add_routingchoice"),
        "can_flag": user.has_perm("jurisdiction.add_dispute"),
        "route_form": forms.RouteForm(initial=initial), "flag_form": forms.FlagForm(
            initial={"returning_department": order.lead_department_id}),
    }


@register.filter
def clock_text(dispute):
    from jidu.jurisdiction.services.disputes import time_left

    return time_left(dispute)["text"]
