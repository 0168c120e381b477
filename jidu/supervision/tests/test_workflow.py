import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jidu.core.models import AuditLog
from jidu.documents.models import OfficialDocument
from jidu.orders.models import OrderEvent
from jidu.supervision import services
from jidu.supervision.models import CaseStep, Rectification
from jidu.supervision.services import CaseError
from jidu.supervision.workflow import TRANSITIONS, Action, State, TransitionRefused, target

pytestmark = pytest.mark.django_db


def test_transitions_table_has_one_path_to_applied_and_withdrawal_only_early():
    assert target(State.FILED, Action.INVESTIGATE) == State.INVESTIGATING
    assert target(State.REVIEWING, Action.RETURN) == State.RECTIFYING
    withdrawable = {frm for (frm, act) in TRANSITIONS if act == Action.WITHDRAW}
    assert withdrawable == {State.FILED, State.INVESTIGATING, State.DOCUMENT_ISSUED}


def test_skipping_a_step_is_refused_with_a_chinese_message():
    with pytest.raises(TransitionRefused) as info:
        target(State.FILED, Action.ACCEPT)
    assert "不能跳过中间步骤直接“复核通过并结案”" in str(info.value)
    assert "当前可以进行：“开始调查”" in str(info.value)


def test_repeating_a_step_is_refused_with_a_chinese_message():
    with pytest.raises(TransitionRefused) as info:
        target(State.INVESTIGATING, Action.INVESTIGATE)
    assert "“开始调查”已经完成，不能重复" in str(info.value)


def test_withdrawing_late_is_refused():
    with pytest.raises(TransitionRefused, match="只有在立案、调查/调阅案卷、制发监督文书环节可以撤销"):
        target(State.RECTIFYING, Action.WITHDRAW)


def test_full_procedure_from_red_clue_to_result(case, people, dept):
    c = case()
    order = c.orders.get()
    assert c.state == State.FILED and c.assignee == people["sup"]
    first = c.steps.get()
    assert first.due_at is not None and first.alert_at is not None
    services.advance(c, Action.INVESTIGATE, by=people["sup"], note="调阅执法案卷")
    doc = services.issue_case_document(c, "notice", by=people["sup"], addressee=dept("PT_SCJG"),
                                       deadline=timezone.localdate() + dt.timedelta(days=20))
    c.refresh_from_db()
    assert c.state == State.DOCUMENT_ISSUED and doc.number.startswith("舟司执监〔")
    assert doc.obj == c and doc.addressee.code == "PT_SCJG"
    # a later reminder is numbered on its own and does not move the case
    services.advance(c, Action.DELIVER, by=people["pt"])
    c.refresh_from_db()
    rect_step = c.steps.get(state=State.RECTIFYING)
    assert rect_step.department.code == "PT_SCJG"
    assert timezone.localtime(rect_step.due_at).date() == c.rectify_deadline
    reminder = services.issue_case_document(c, "reminder", by=people["sup"], addressee=dept("PT_SCJG"))
    assert reminder.number.startswith("舟司执监提〔")
    c.refresh_from_db()
    assert c.state == State.RECTIFYING
    evidence = SimpleUploadedFile("整改照片.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")
    rect = services.submit_rectification(c, by=people["pt"], text="已对该排档立案查处，罚款5000元。",
                                         files=[evidence])
    assert rect.attachments.count() == 1
    services.review(c, by=people["sup"], accept=False, note="未附处罚决定书")
    c.refresh_from_db()
    assert c.state == State.RECTIFYING
    assert Rectification.objects.get(pk=rect.pk).outcome == "returned"
    services.submit_rectification(c, by=people["pt"], text="补充处罚决定书。")
    services.review(c, by=people["sup"], accept=True, note="整改到位")
    c.refresh_from_db()
    assert c.state == State.CLOSED and c.closed_at is not None
    result = services.apply_result(c, by=people["sup"], score=Decimal("-2"), accountability=False,
                                   rule_change="海鲜排档计量监管纳入职责任务清单", money_recovered=Decimal("1280.50"))
    c.refresh_from_db()
    assert c.state == State.APPLIED and result.money_recovered == Decimal("1280.50")
    states = list(c.steps.values_list("state", flat=True))
    assert states == ["filed", "investigating", "document_issued", "rectifying", "reviewing", "rectifying",
                      "reviewing", "closed", "applied"]
    assert not c.steps.filter(finished_at__isnull=True).exists()
    notes = list(OrderEvent.objects.filter(order=order, kind="note").values_list("note", flat=True))
    assert any("立案督办" in n for n in notes) and any(doc.number in n for n in notes)
    assert any("记录结果运用" in n and "挽回经济损失1280.50元" in n for n in notes)
    events = set(AuditLog.objects.filter(object_type="supervision.supervisioncase", object_id=str(c.pk))
                 .values_list("detail__event", flat=True))
    assert {"case_file", "case_investigate", "case_issue", "case_deliver", "case_submit", "case_return",
            "case_accept", "case_apply", "case_document"} <= events


def test_service_refuses_skipped_and_repeated_actions(case, people, dept):
    c = case()
    with pytest.raises(CaseError, match="请先开始调查"):
        services.issue_case_document(c, "notice", by=people["sup"], addressee=dept("PT_SCJG"))
    with pytest.raises(CaseError, match="不能跳过中间步骤"):
        services.review(c, by=people["sup"], accept=True)
    services.advance(c, Action.INVESTIGATE, by=people["sup"])
    with pytest.raises(CaseError, match="不能重复"):
        services.advance(c, Action.INVESTIGATE, by=people["sup"])
    assert c.steps.count() == 2
    assert OfficialDocument.objects.count() == 0


def test_only_the_addressed_department_can_report_rectification(case, people, dept):
    c = case()
    services.advance(c, Action.INVESTIGATE, by=people["sup"])
    services.issue_case_document(c, "notice", by=people["sup"], addressee=dept("PT_SCJG"))
    services.advance(c, Action.DELIVER, by=people["sup"])
    with pytest.raises(CaseError, match="只有被监督单位的承办人"):
        services.submit_rectification(c, by=people["dh"], text="x")
    with pytest.raises(CaseError, match="请填写整改情况"):
        services.submit_rectification(c, by=people["pt"], text="  ")
    bad = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(CaseError, match="类型不允许上传"):
        services.submit_rectification(c, by=people["pt"], text="已整改", files=[bad])
    assert not Rectification.objects.exists()


def test_document_addressed_outside_the_case_is_refused(case, people, dept):
    c = case()
    services.advance(c, Action.INVESTIGATE, by=people["sup"])
    with pytest.raises(CaseError, match="不是本案的被监督单位"):
        services.issue_case_document(c, "notice", by=people["sup"], addressee=dept("DH_SCJG"))


def test_explicit_deadline_on_a_holiday_moves_to_the_next_working_day():
    due = services.end_of_working_day_on_or_after(dt.date(2026, 10, 3))  # 国庆假期
    assert timezone.localtime(due).date() == dt.date(2026, 10, 8)
    assert timezone.localtime(due).time() == dt.time(23, 59, 59)
    assert timezone.localtime(services.end_of_working_day_on_or_after(dt.date(2026, 10, 10))).date() == \
        dt.date(2026, 10, 10)  # Saturday make-up working day


def test_step_limits_count_working_days_across_a_holiday():
    start = timezone.make_aware(dt.datetime(2026, 9, 30, 10, 0))
    due = services.step_due(State.FILED, start)  # supervision.file = 2 working days
    assert timezone.localtime(due).date() == dt.date(2026, 10, 9)


def test_withdraw_needs_a_reason_and_ends_the_case(case, people):
    c = case()
    with pytest.raises(CaseError, match="请写明理由"):
        services.withdraw(c, by=people["sup"], note="")
    services.withdraw(c, by=people["sup"], note="重复立案")
    c.refresh_from_db()
    assert c.state == State.WITHDRAWN and c.due_at is None


def test_accountability_needs_a_receiving_body(case, people, dept):
    c = case()
    c.state = State.CLOSED
    c.save()
    with pytest.raises(CaseError, match="请填写移送机关"):
        services.apply_result(c, by=people["sup"], accountability=True)


def test_scan_gives_yellow_then_red_card_once_each(case, people, dept):
    from jidu.notifications.models import Notification

    c = case()
    step = c.steps.get()
    yellow_time = step.alert_at + dt.timedelta(minutes=1)
    assert yellow_time < step.due_at
    assert "黄牌1个" in services.scan_overdue_steps(now=yellow_time)
    step.refresh_from_db()
    assert step.card == "yellow" and step.alert_at == step.due_at
    assert "黄牌0个，红牌0个" in services.scan_overdue_steps(now=yellow_time)
    late = step.due_at + dt.timedelta(hours=1)
    assert "红牌1个" in services.scan_overdue_steps(now=late)
    step.refresh_from_db()
    assert step.card == "red" and step.alert_at is None
    assert "红牌0个" in services.scan_overdue_steps(now=late + dt.timedelta(days=1))
    titles = list(Notification.objects.filter(user=people["sup"]).values_list("title", flat=True))
    assert sum("黄牌提醒" in t for t in titles) == 1 and sum("红牌督办" in t for t in titles) == 1


def test_finished_steps_are_not_scanned(case, people):
    c = case()
    services.advance(c, Action.INVESTIGATE, by=people["sup"])
    first = c.steps.get(state=State.FILED)
    assert first.alert_at is None and first.finished_at is not None
    services.scan_overdue_steps(now=timezone.now() + dt.timedelta(days=60))
    assert CaseStep.objects.get(pk=first.pk).card == ""
