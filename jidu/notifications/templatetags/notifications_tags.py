from django import template

from jidu.notifications import services

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def inbox_badge(context):
    """The nav link with the unread count; htmx refreshes it every 60 seconds."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": services.unread_count(user) if user is not None else 0}


# Notification kinds are "<app>.<event>" strings chosen by the notifying app; the inbox shows the
# area of work in Chinese.
KIND_LABELS = [("warning", "预警抄报"), ("directive", "协查督办"), ("coordination", "会商巡查"),
               ("supervision", "监督案件"), ("dispute", "派单争议"), ("jurisdiction", "派单争议"),
               ("report", "定期分析"), ("grade", "线索研判"), ("grading", "线索研判"), ("screening", "线索筛查")]


@register.filter
def kind_label(kind: str) -> str:
    for prefix, label in KIND_LABELS:
        if kind == prefix or kind.startswith((prefix + ".", prefix + "_")):
            return label
    return "通知"
