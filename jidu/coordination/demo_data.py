"""Demo material for coordination: one concluded consultation (with a follow-up task and a
responsibility-list amendment), one completed joint inspection with findings, one intervention
guidance. Idempotent: each object is recognised by its fixed title and created only once."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jidu.coordination import services as svc
from jidu.coordination.models import Consultation, Guidance, Inspection
from jidu.worktime.services import CalendarYearMissing

CONSULTATION_TOPIC = "停航后民宿退订纠纷与网约房监管职责会商"
INSPECTION_TITLE = "暑期朱家尖民宿与海鲜排档联合巡查"
GUIDANCE_MARK = "【演示】"
AMENDED_ENTRY = "ZS-PD-013"
DEMO_USCC = "92330903MA2B3C4D58"  # a made-up code with a valid check digit


def _supervisor():
    from jidu.org.models import User

    return (User.objects.filter(username="supervisor").first()
            or User.objects.filter(role="supervisor", is_active=True).order_by("pk").first()
            or User.objects.filter(is_superuser=True).order_by("pk").first())


def _depts(*codes):
    from jidu.org.models import Department

    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def _orders(text: str, n: int):
    from jidu.orders.models import WorkOrder

    qs = WorkOrder.objects.filter(Q(title__contains=text) | Q(content__contains=text))
    return list(qs.order_by("-received_at")[:n])


def populate(stdout) -> None:
    by = _supervisor()
    if by is None:
        stdout.write("会商巡查演示数据：没有执法监督员用户，跳过。")
        return
    made = []
    for name, fn in (("会商会审", _consultation), ("联合巡查", _inspection), ("介入指导", _guidance)):
        try:
            with transaction.atomic():
                if fn(by):
                    made.append(name)
        except CalendarYearMissing as exc:  # e.g. a demo built in late December before next year is entered
            stdout.write(f"会商巡查演示数据：{name}未创建：{exc}")
    stdout.write("会商巡查演示数据：" + ("新增" + "、".join(made) if made else "已存在，未重复创建") + "。")


def _consultation(by) -> bool:
    from jidu.jurisdiction.models import Dispute, ListEntry

    if Consultation.objects.filter(topic=CONSULTATION_TOPIC).exists():
        return False
    depts = _depts("PT_SCJG", "PT_WGLT", "GAJ", "PT_ZHZF")
    now = timezone.now()
    c = svc.create_consultation(
        by=by, topic=CONSULTATION_TOPIC, kind=Consultation.Kind.HUISHANG, departments=depts,
        scheduled_at=now - dt.timedelta(days=3), place="市司法局三楼会议室",
        description="大风停航后游客无法上岛，民宿拒绝退订引发的投诉集中；网约房归口管理有争议。",
        orders=_orders("民宿", 3), disputes=list(Dispute.objects.order_by("-opened_at")[:2]))
    svc.hold(c, by=by, minutes="市场监管、文广旅体、公安、综合执法参会。各方陈述了停航退订纠纷的处理现状与职责认识。")
    svc.conclude(c, by=by, conclusions=(
        "一、因停航无法入住引发的民宿退订纠纷属消费纠纷，由属地市场监管部门主办调解，文广旅体部门协办；"
        "二、网约房住宿登记与治安管理由公安机关负责；三、修订职责清单相应条目。"))
    depts_by_code = {d.code: d for d in depts}
    if "PT_SCJG" in depts_by_code:
        svc.add_task(c, by=by, text="会同文广旅体局制定停航退订纠纷调解指引，报市司法局备案",
                     owner_department=depts_by_code["PT_SCJG"], working_days=5)
    entry = ListEntry.objects.filter(code=AMENDED_ENTRY).first()
    if entry is not None:
        try:
            svc.apply_to_list(c, by=by, entry=entry, changes={
                "note": f"依{CONSULTATION_TOPIC}结论：属地市场监管部门主办调解，文广旅体部门协办。"})
        except svc.CoordinationError:
            pass  # the entry already says so: nothing to amend
    return True


def _inspection(by) -> bool:
    from jidu.org.models import Area, ProblemType

    if Inspection.objects.filter(title=INSPECTION_TITLE).exists():
        return False
    area = Area.objects.filter(name="朱家尖街道").first() or Area.objects.filter(kind="district").first()
    depts = _depts("PT_SCJG", "PT_WGLT", "PT_ZHZF")
    today = timezone.localdate()
    problems = list(ProblemType.objects.filter(code__in=["short_weight", "price_violation", "unlicensed"]))
    i = svc.create_inspection(by=by, title=INSPECTION_TITLE, area=area, start_date=today - dt.timedelta(days=6),
                              end_date=today - dt.timedelta(days=5), departments=depts, problem_types=problems,
                              themes="暑期民宿、海鲜排档价格与计量", orders=_orders("海鲜", 2))
    svc.start_inspection(i, by=by)
    by_code = {p.code: p for p in problems}
    f1 = svc.add_finding(i, by=by, place="朱家尖南沙海鲜排档一条街", business_name="朱家尖某海鲜排档",
                         uscc=DEMO_USCC, problem_type=by_code.get("short_weight"),
                         description="电子秤未经检定，抽查梭子蟹称重短少约8%。")
    f2 = svc.add_finding(i, by=by, place="朱家尖樟州村", business_name="樟州某民宿",
                         problem_type=by_code.get("unlicensed"), description="未取得民宿经营登记，在网络平台揽客。")
    if depts:
        scjg = depts[0]
        svc.add_case(i, by=by, number=f"舟普市监立〔{today.year}〕1号", department=scjg, finding=f1)
        svc.add_rectification(i, by=by, department=scjg, description="更换经检定的计量器具并公示价格",
                              deadline=today + dt.timedelta(days=10), finding=f1)
        svc.add_rectification(i, by=by, department=depts[-1], description="责令停止无证经营，限期办理登记",
                              deadline=today + dt.timedelta(days=15), finding=f2)
    svc.complete_inspection(i, by=by, summary="检查经营主体23家，发现问题2处，立案1起，责令整改2家。")
    return True


def _guidance(by) -> bool:
    from jidu.orders.models import WorkOrder

    if Guidance.objects.filter(text__startswith=GUIDANCE_MARK).exists():
        return False
    order = WorkOrder.objects.filter(lead_department__code="PT_SCJG", content__contains="短斤少两").order_by(
        "-received_at").first() or WorkOrder.objects.filter(lead_department__code="PT_SCJG").order_by(
        "-received_at").first()
    dept = order.lead_department if order else (_depts("PT_SCJG") or [None])[0]
    if dept is None:
        return False
    svc.issue_guidance(by=by, order=order, department=dept, working_days=5,
                       text=GUIDANCE_MARK + "同一海鲜排档一周内多次被投诉短斤少两，请依法立案调查，不得以调解代替执法。",
                       legal_basis="《中华人民共和国计量法》《浙江省计量监督管理条例》",
                       requested_action="对涉事商户计量器具开展检定并依法处理，5个工作日内报告处理结果。")
    return True
