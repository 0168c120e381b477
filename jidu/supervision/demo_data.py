"""Demo material for case supervision: one red clue taken through the whole procedure (立案 → 调查 →
通知书 → 签收 → 整改报告 → 复核结案 → 结果运用), and one orange clue left at 整改 so the demo shows a
running case. Idempotent: each case is recognised by its `demo_key` and created only once."""

from decimal import Decimal

from jidu.supervision import services
from jidu.supervision.models import SupervisionCase
from jidu.supervision.workflow import Action

FULL_KEY = "demo-red-full"
OPEN_KEY = "demo-orange-open"


def _people():
    from jidu.org.models import User

    sup = (User.objects.filter(username="supervisor").first()
           or User.objects.filter(role="supervisor", is_active=True).order_by("pk").first())
    handlers = {u.department_id: u for u in User.objects.filter(role="handler", is_active=True,
                                                                department__isnull=False).order_by("pk")}
    return sup, handlers


def _clue(colour, handlers, exclude=()):
    from jidu.orders.models import WorkOrder

    qs = (WorkOrder.objects.filter(grade__colour=colour, lead_department_id__in=list(handlers))
          .exclude(pk__in=list(exclude)).exclude(supervision_cases__isnull=False).order_by("-received_at"))
    return qs.select_related("lead_department", "grade").first()


def _open(order, sup, key):
    from jidu.orders.services import display_content

    reasons = "；".join(order.grade.reasons or []) if getattr(order, "grade", None) else ""
    return services.open_case(
        subject=f"{order.title or display_content(order)[:30]}投诉处置情况", by=sup, orders=[order], demo_key=key,
        departments=[order.lead_department],
        summary=f"工单{order.order_no}反映：{display_content(order)[:200]}" + (f"（研判依据：{reasons}）" if reasons else ""))


def populate(stdout) -> None:
    sup, handlers = _people()
    if sup is None:
        stdout.write("案件即督演示数据：没有执法监督员用户，跳过。")
        return
    made = []
    try:
        if not SupervisionCase.objects.filter(demo_key=FULL_KEY).exists():
            order = _clue("red", handlers)
            if order is not None:
                handler = handlers[order.lead_department_id]
                case = _open(order, sup, FULL_KEY)
                services.advance(case, Action.INVESTIGATE, by=sup, note="调阅承办单位执法案卷及处置记录")
                doc = services.issue_case_document(case, "notice", by=sup, addressee=order.lead_department,
                                                   extra="请同步排查辖区同类经营主体。")
                services.advance(case, Action.DELIVER, by=handler, note="已签收")
                services.submit_rectification(case, by=handler, text="已对涉事经营者立案调查，责令改正并处罚款；"
                                              "对辖区同类经营主体开展计量专项检查。")
                services.review(case, by=sup, accept=True, note="整改到位，同意结案")
                services.apply_result(case, by=sup, score=Decimal("-1"), rule_change="将同类投诉纳入高频多发执法投诉事项清单",
                                      money_recovered=Decimal("2680.00"), note="演示数据")
                made.append(f"完整办结案件（{doc.number}）")
        if not SupervisionCase.objects.filter(demo_key=OPEN_KEY).exists():
            order = _clue("orange", handlers) or _clue("red", handlers)
            if order is not None:
                case = _open(order, sup, OPEN_KEY)
                services.advance(case, Action.INVESTIGATE, by=sup)
                services.issue_case_document(case, "notice", by=sup, addressee=order.lead_department)
                services.advance(case, Action.DELIVER, by=handlers[order.lead_department_id])
                made.append("整改中的案件")
    except services.CaseError as exc:  # e.g. the next year's holidays not entered yet
        stdout.write(f"案件即督演示数据未完成：{exc}")
        return
    stdout.write("案件即督演示数据：" + ("新增" + "、".join(made) if made else "已存在或没有合适的红色线索，未重复创建") + "。")
