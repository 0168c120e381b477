import datetime as dt

import pytest
from django.utils import timezone

from jidu.grading.models import CalendarEvent, ClueGrade, Criterion, GradeChange, GradingPolicy
from jidu.grading.services import GradingError, downgrade, grade_orders
from jidu.grading.tests.conftest import grade_of
from jidu.org.models import Area, Field, ProblemType
from jidu.orders.models import OrderEvent, WorkOrder

pytestmark = pytest.mark.django_db

STALL = "沈家门老王海鲜排档"


def stall_complaint(clue, no, at, **kw):
    kw.setdefault("problems", ["短斤少两"])
    kw.setdefault("businesses", [STALL])
    return clue(no, at, **kw)


def test_three_short_weight_complaints_on_one_stall_within_24h_make_all_three_red(clue):
    a = stall_complaint(clue, "C-1", "2026-09-01 09:00:00")
    assert grade_of(a).colour == "yellow"
    assert grade_of(a).reasons == ["重点问题：短斤少两"]
    b = stall_complaint(clue, "C-2", "2026-09-01 15:00:00")
    assert grade_of(b).colour == "orange"
    assert grade_of(a).colour == "orange"  # the cluster mate was re-graded
    c = stall_complaint(clue, "C-3", "2026-09-02 08:00:00")
    for order in (a, b, c):
        grade = grade_of(order)
        assert grade.colour == "red", grade.reasons
        assert grade.reasons[0] == "24小时内同一商户3起短斤少两投诉"
        assert grade.summary == "红：24小时内同一商户3起短斤少两投诉；重点问题：短斤少两"
        assert grade.due_by == order.received_at + dt.timedelta(hours=2)
    # every rise is recorded, with the timeline note
    assert list(GradeChange.objects.filter(order=a).order_by("at", "id").values_list("from_colour", "to_colour")) == [
        ("", "yellow"), ("yellow", "orange"), ("orange", "red")]
    note = OrderEvent.objects.filter(order=a, kind="note").order_by("-id").first()
    assert "由橙升为红" in note.note and "24小时内同一商户3起短斤少两投诉" in note.note


def test_complaints_more_than_24h_apart_are_orange_not_red_and_uscc_links_different_spellings(clue):
    uscc = "91330903MA2A1B2C3D"
    stall_complaint(clue, "C-1", "2026-09-01 09:00:00", businesses=[{"name": "老王海鲜", "uscc": uscc}])
    stall_complaint(clue, "C-2", "2026-09-02 12:00:00", businesses=[{"name": "老王海鲜排档", "uscc": uscc}])
    c = stall_complaint(clue, "C-3", "2026-09-03 15:00:00", businesses=[{"name": "老王海鲜（滨港路店）", "uscc": uscc}])
    grade = grade_of(c)
    assert grade.colour == "orange"
    assert grade.reasons[0] == "72小时内同一商户3起短斤少两投诉"


def test_same_place_cluster_and_area_names_are_not_places(clue):
    for n, hour in enumerate((9, 10, 11), 1):
        clue(f"P-{n}", f"2026-09-05 {hour}:00:00", problems=["黄牛揽客/强迫消费"], places=["朱家尖蜈蚣峙码头"])
    assert grade_of(WorkOrder.objects.get(order_no="P-3")).reasons[0] == "24小时内同一地点3起黄牛揽客/强迫消费投诉"
    for n, hour in enumerate((9, 10, 11), 1):
        clue(f"D-{n}", f"2026-09-06 {hour}:00:00", problems=["价格违法"], places=["普陀区"])
    assert grade_of(WorkOrder.objects.get(order_no="D-3")).colour == "yellow"


def test_cluster_of_different_problems_names_no_problem(clue):
    stall_complaint(clue, "C-1", "2026-09-01 09:00:00", problems=["短斤少两"])
    stall_complaint(clue, "C-2", "2026-09-01 10:00:00", problems=["价格违法"])
    c = stall_complaint(clue, "C-3", "2026-09-01 11:00:00", problems=["短斤少两"])
    assert grade_of(c).reasons[0] == "24小时内同一商户3起投诉"


def test_national_day_and_its_eve(clue):
    a = clue("H-1", "2026-10-01 10:00:00", problems=["退订退款纠纷"])
    assert grade_of(a).reasons == ["国庆假期"]
    b = clue("H-2", "2026-09-30 10:00:00", problems=["退订退款纠纷"])
    assert grade_of(b).reasons == ["国庆假期前一天"]
    c = clue("H-3", "2026-09-08 10:00:00", problems=["退订退款纠纷"])
    assert grade_of(c).reasons == ["涉旅执法线索，未命中加重情形，按常规时限办理"]
    assert grade_of(c).colour == "yellow"


def test_cluster_on_national_day_explains_both(clue):
    for n, hour in enumerate((9, 12, 18), 1):
        last = stall_complaint(clue, f"N-{n}", f"2026-10-02 {hour}:00:00")
    assert grade_of(last).summary == "红：24小时内同一商户3起短斤少两投诉；重点问题：短斤少两；国庆假期"


def test_guanyin_festival_and_summer_peak(clue):
    order = clue("G-1", "2026-08-01 10:00:00", problems=["退订退款纠纷"])
    assert grade_of(order).reasons == ["暑期旅游旺季", "普陀山观音香会（观音成道日）"]
    assert grade_of(order).points == 3
    other = clue("G-2", "2026-10-28 10:00:00", problems=["退订退款纠纷"])
    assert "普陀山观音香会（观音出家日）" in grade_of(other).reasons
    day_after = clue("G-3", "2026-04-07 10:00:00", problems=["退订退款纠纷"])  # ±1 day configured
    assert "普陀山观音香会（观音诞辰日）" in grade_of(day_after).reasons


def test_ferry_suspension_event_affects_orders_in_its_areas_during_and_three_days_after(clue):
    event = CalendarEvent.objects.create(
        kind="ferry", title="大风停航（沈家门—东极）", start=timezone.make_aware(dt.datetime(2026, 9, 10, 6)),
        end=timezone.make_aware(dt.datetime(2026, 9, 11, 18)))
    event.areas.set([Area.objects.get(name="普陀区")])
    during = clue("F-1", "2026-09-11 09:00:00", problems=["退订退款纠纷", "短斤少两"])
    assert "停航影响期（大风停航（沈家门—东极），及其后3天）" in grade_of(during).reasons
    assert grade_of(during).colour == "orange"  # 2 + 2 points
    after = clue("F-2", "2026-09-14 17:00:00", problems=["退订退款纠纷"])
    assert any("停航" in r for r in grade_of(after).reasons)
    too_late = clue("F-3", "2026-09-15 09:00:00", problems=["退订退款纠纷"])
    assert not any("停航" in r for r in grade_of(too_late).reasons)
    elsewhere = clue("F-4", "2026-09-11 09:00:00", problems=["退订退款纠纷"], record_overrides={"area": "定海区"})
    assert not any("停航" in r for r in grade_of(elsewhere).reasons)
    # a place the screening resolved inside the event's areas counts too
    named = clue("F-5", "2026-09-11 10:00:00", problems=["退订退款纠纷"], record_overrides={"area": "定海区"},
                 places=[{"name": "东极岛", "area_code": Area.objects.filter(parent__name="普陀区").first().code}])
    assert any("停航" in r for r in grade_of(named).reasons)


def test_money_at_stake(clue):
    order = clue("M-1", "2026-09-08 10:00:00", problems=["退订退款纠纷"], amounts=[300, 6800.0])
    grade = grade_of(order)
    assert grade.colour == "orange"
    assert grade.reasons == ["涉案金额6800元（≥5000元）"]
    small = clue("M-2", "2026-09-08 11:00:00", problems=["退订退款纠纷"], amounts=[4999.5])
    assert grade_of(small).colour == "yellow"


def test_safety_words_make_a_clue_red(clue):
    order = clue("S-1", "2026-09-08 10:00:00", problems=["食品安全"],
                 record_overrides={"content": "在朱家尖某排档吃了海鲜后一家三口食物中毒住院。"})
    grade = grade_of(order)
    assert grade.colour == "red"
    assert grade.reasons == ["涉及人身安全（食物中毒）"]
    assert grade.summary == "红：涉及人身安全（食物中毒）"


def test_repeat_offender(clue, ingest, record):
    first = stall_complaint(clue, "R-1", "2026-06-01 10:00:00", problems=["价格违法"])
    assert grade_of(first).colour == "yellow"  # 价格违法: 2 points
    later = stall_complaint(clue, "R-2", "2026-09-08 10:00:00", problems=["退订退款纠纷"])
    grade = grade_of(later)
    assert grade.colour == "orange"
    assert "同一商户180天内已有1起线索或已办结案件（屡查屡犯）" in grade.reasons
    # outside the look-back: no
    old = stall_complaint(clue, "R-0", "2025-12-01 10:00:00", problems=["退订退款纠纷"],
                          businesses=["定海某民宿"])
    new = stall_complaint(clue, "R-9", "2026-09-08 11:00:00", problems=["退订退款纠纷"],
                          businesses=["定海某民宿"])
    assert old and not any("屡查屡犯" in r for r in grade_of(new).reasons)


def test_policy_for_a_non_tourism_field(clue):
    policy = GradingPolicy.objects.create(name="住建领域违建线索", tourism=False, red_at=10, orange_at=5)
    policy.fields.set([Field.objects.get(name="住建")])
    crit = Criterion.objects.create(policy=policy, name="违建", kind="problem_type", points=5,
                                    reason="住建重点问题：{problem}")
    crit.problem_types.set([ProblemType.objects.get(name="违章建筑/违法用地")])
    order = clue("Z-1", "2026-09-08 10:00:00", problems=["违章建筑/违法用地"], tourism=False, field="住建")
    grade = grade_of(order)
    assert (grade.colour, grade.policy, grade.reasons) == ("orange", policy, ["住建重点问题：违章建筑/违法用地"])
    other = clue("Z-2", "2026-09-08 10:00:00", problems=["环境污染"], tourism=False, field="生态环境")
    assert grade_of(other).colour is None and grade_of(other).summary == "未定色"
    not_enforcement = clue("Z-3", "2026-09-08 10:00:00", problems=["违章建筑/违法用地"], tourism=True,
                           enforcement=False, field="住建")
    assert grade_of(not_enforcement).colour is None


def test_a_lower_automatic_result_keeps_the_colour_and_records_nothing(clue, screen):
    orders = [stall_complaint(clue, f"K-{n}", f"2026-09-01 {h}:00:00") for n, h in enumerate((9, 10, 11), 1)]
    assert {grade_of(o).colour for o in orders} == {"red"}
    changes, notes = GradeChange.objects.count(), OrderEvent.objects.filter(kind="note").count()
    # the screening of one order is corrected: it no longer names the stall; re-grading would give yellow
    screen(orders[2], problems=["短斤少两"], businesses=[])
    grade_orders([o.pk for o in orders])
    assert {grade_of(o).colour for o in orders} == {"red"}
    assert grade_of(orders[2]).computed_colour == "yellow"
    assert GradeChange.objects.count() == changes
    assert OrderEvent.objects.filter(kind="note").count() == notes


def test_a_person_downgrades_with_a_reason_and_it_is_recorded(clue, make_user):
    supervisor = make_user("jd", "supervisor")
    supervisor.display_name = "李督"
    supervisor.save()
    orders = [stall_complaint(clue, f"K-{n}", f"2026-09-01 {h}:00:00") for n, h in enumerate((9, 10, 11), 1)]
    order = orders[0]
    with pytest.raises(GradingError):
        downgrade(order, "yellow", "  ", supervisor)
    with pytest.raises(GradingError):
        downgrade(order, "red", "不变", supervisor)
    assert grade_of(order).colour == "red"
    downgrade(order, "yellow", "经核实为同一游客重复来电", supervisor)
    grade = grade_of(order)
    assert grade.colour == "yellow"
    assert grade.summary.startswith("黄：人工调整为黄：经核实为同一游客重复来电（李督）")
    assert grade.due_by == order.received_at + dt.timedelta(hours=72)
    change = GradeChange.objects.filter(order=order).first()
    assert (change.from_colour, change.to_colour, change.by, change.reason) == (
        "red", "yellow", supervisor, "经核实为同一游客重复来电")
    note = OrderEvent.objects.filter(order=order, kind="note").order_by("-id").first()
    assert note.actor == supervisor and "由红调整为黄" in note.note
    # automatic re-grading does not undo the person's decision while nothing new has happened
    grade_orders([order.pk])
    stall_complaint(clue, "K-4", "2026-09-01 12:00:00")
    assert grade_of(order).colour == "yellow"
    # something more severe than what the person saw raises it again, recorded
    from jidu.grading.models import ClueGrade as CG

    CG.objects.filter(order=order).update(person_baseline="orange")
    grade_orders([order.pk])
    assert grade_of(order).colour == "red"
    assert GradeChange.objects.filter(order=order).first().from_colour == "yellow"


def test_orders_without_screening_are_skipped(ingest, record):
    ingest(record("X-1"))
    order = WorkOrder.objects.get(order_no="X-1")
    assert grade_orders([order.pk])["graded"] == 0
    assert not ClueGrade.objects.filter(order=order).exists()
