import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jidu.coordination import services as svc
from jidu.coordination.models import Consultation, ListEntryChange
from jidu.notifications.models import Notification
from jidu.orders.models import OrderEvent

pytestmark = pytest.mark.django_db


def test_creating_a_consultation_notifies_invited_departments_and_notes_linked_orders(consultation, people):
    c = consultation()
    assert c.state == Consultation.State.PLANNED
    invited = set(Notification.objects.filter(kind="coordination.consultation").values_list("user__username",
                                                                                             flat=True))
    assert invited == {"scjg", "scjg2", "wglt"}  # not jtys, not the supervisor
    notes = OrderEvent.objects.filter(order__order_no="T-0001", kind=OrderEvent.Kind.NOTE)
    assert any("纳入会商：停航民宿退订纠纷会商" in e.note for e in notes)


def test_editing_invites_only_new_departments_once(consultation, people, dept):
    c = consultation()
    svc.update_consultation(c, by=people["sup"], departments=[dept("PT_SCJG"), dept("PT_WGLT"), dept("PT_JTYS")])
    svc.update_consultation(c, by=people["sup"], departments=[dept("PT_SCJG"), dept("PT_WGLT"), dept("PT_JTYS")])
    assert Notification.objects.filter(kind="coordination.consultation", user=people["jtys"]).count() == 1
    assert Notification.objects.filter(kind="coordination.consultation", user=people["scjg"]).count() == 1


def test_consultation_runs_planned_held_concluded_closed(consultation, people, dept):
    c = consultation()
    svc.hold(c, by=people["sup"], minutes="各方陈述意见")
    svc.conclude(c, by=people["sup"], conclusions="由属地市场监管部门主办调解")
    assert c.state == Consultation.State.CONCLUDED
    assert OrderEvent.objects.filter(order__order_no="T-0001", note__contains="会商结论").exists()
    task = svc.add_task(c, by=people["sup"], text="制定调解指引", owner_department=dept("PT_SCJG"), working_days=3)
    svc.add_task(c, by=people["sup"], text="配合", owner_department=dept("PT_WGLT"), working_days=3)
    assert Notification.objects.filter(kind="coordination.followup", user=people["scjg"]).exists()
    svc.complete_task(task, by=people["scjg"], note="已制定并印发")
    c.refresh_from_db()
    assert c.state == Consultation.State.CONCLUDED  # one task still open
    other = c.tasks.get(done=False)
    svc.complete_task(other, by=people["wglt"], note="已配合")
    c.refresh_from_db()
    assert c.state == Consultation.State.CLOSED and c.closed_at is not None


@pytest.mark.parametrize("step, message", [
    ("conclude", "当前状态为“已计划”，不能形成结论"),
    ("task", "当前状态为“已计划”，不能布置跟进任务"),
    ("close", "当前状态为“已计划”，不能办结"),
])
def test_invalid_transitions_say_why(consultation, people, dept, step, message):
    c = consultation()
    with pytest.raises(svc.CoordinationError, match=message):
        if step == "conclude":
            svc.conclude(c, by=people["sup"], conclusions="结论")
        elif step == "task":
            svc.add_task(c, by=people["sup"], text="x", owner_department=dept("PT_SCJG"))
        else:
            svc.close(c, by=people["sup"])
    c.refresh_from_db()
    assert c.state == Consultation.State.PLANNED


def test_holding_twice_is_refused(consultation, people):
    c = consultation()
    svc.hold(c, by=people["sup"], minutes="纪要")
    with pytest.raises(svc.CoordinationError, match="当前状态为“已召开”，不能登记召开"):
        svc.hold(c, by=people["sup"], minutes="另一份纪要")
    c.refresh_from_db()
    assert c.minutes == "纪要"


def test_followup_deadline_skips_the_national_day_holiday(consultation, people, dept):
    from jidu.worktime.services import is_working_day

    assert not is_working_day(dt.date(2026, 10, 1)) and not is_working_day(dt.date(2026, 10, 7))
    c = consultation()
    svc.hold(c, by=people["sup"], minutes="纪要")
    start = timezone.make_aware(dt.datetime(2026, 9, 30, 10, 0))
    task = svc.add_task(c, by=people["sup"], text="x", owner_department=dept("PT_SCJG"), working_days=2, start=start)
    assert timezone.localtime(task.due_at).date() == dt.date(2026, 10, 9)  # 10-08 and 10-09 are the 2 working days


def test_followup_default_deadline_comes_from_the_seeded_time_limit(consultation, people, dept):
    from jidu.worktime.models import TimeLimit
    from jidu.worktime.services import add_working_days

    limit = TimeLimit.objects.get(key=svc.FOLLOWUP_LIMIT_KEY)
    c = consultation()
    svc.hold(c, by=people["sup"], minutes="纪要")
    start = timezone.make_aware(dt.datetime(2026, 9, 1, 9, 0))
    task = svc.add_task(c, by=people["sup"], text="x", owner_department=dept("PT_SCJG"), start=start)
    assert task.due_at == add_working_days(start, limit.amount)


def test_another_department_cannot_report_a_task_done(consultation, people, dept):
    c = consultation()
    svc.hold(c, by=people["sup"], minutes="纪要")
    task = svc.add_task(c, by=people["sup"], text="x", owner_department=dept("PT_SCJG"), working_days=3)
    with pytest.raises(PermissionDenied):
        svc.complete_task(task, by=people["wglt"], note="不是我们的")
    task.refresh_from_db()
    assert not task.done


def test_conclusion_amends_a_list_entry_through_jurisdiction(consultation, people, dept):
    from jidu.jurisdiction.models import ListEntry

    entry = ListEntry.objects.get(code="ZS-PD-013")
    before = entry.versions.count()
    c = consultation()
    with pytest.raises(svc.CoordinationError, match="形成结论后才能更新职责清单"):
        svc.apply_to_list(c, by=people["sup"], entry=entry, changes={"note": "x"})
    svc.hold(c, by=people["sup"], minutes="纪要")
    svc.conclude(c, by=people["sup"], conclusions="结论")
    fields_before = set(entry.fields.values_list("pk", flat=True))
    link = svc.apply_to_list(c, by=people["sup"], entry=entry,
                             changes={"co_departments": [dept("WGLT")], "note": "会商明确文广旅体协办"})
    entry.refresh_from_db()
    assert entry.versions.count() == before + 1
    assert link.action == ListEntryChange.Action.AMENDED and link.version_number == entry.versions.first().number
    assert entry.note == "会商明确文广旅体协办"
    assert list(entry.co_departments.values_list("code", flat=True)) == ["WGLT"]
    assert set(entry.fields.values_list("pk", flat=True)) == fields_before  # untouched relations kept
    assert "会商#" in entry.versions.first().note
    with pytest.raises(svc.CoordinationError, match="相同"):
        svc.apply_to_list(c, by=people["sup"], entry=entry, changes={"note": "会商明确文广旅体协办"})


def test_conclusion_creates_a_new_boundary_entry(consultation, people, dept):
    from jidu.jurisdiction.models import EntrySource, ListEntry

    c = consultation()
    svc.hold(c, by=people["sup"], minutes="纪要")
    svc.conclude(c, by=people["sup"], conclusions="结论")
    link = svc.apply_to_list(c, by=people["sup"], code="HS-001", changes={
        "matter": "海岛民宿停航退订", "lead_department": dept("SCJG"), "keywords": ["停航", "民宿+退"]})
    entry = ListEntry.objects.get(code="HS-001")
    assert link.action == "created" and entry.source == EntrySource.MINUTES and entry.list_type == "boundary"
    assert entry.versions.count() == 1
    with pytest.raises(svc.CoordinationError, match="已存在"):
        svc.apply_to_list(c, by=people["sup"], code="HS-001", changes={"matter": "重复"})


def test_materials_are_limited_by_type_and_size(consultation, people, monkeypatch):
    c = consultation()
    with pytest.raises(svc.CoordinationError, match="类型不允许"):
        svc.add_materials(c, [SimpleUploadedFile("run.exe", b"MZ")], by=people["sup"])
    monkeypatch.setattr(svc, "MAX_MATERIAL_BYTES", 10)
    with pytest.raises(svc.CoordinationError, match="超过"):
        svc.add_materials(c, [SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 more than ten bytes")], by=people["sup"])
    assert not c.materials.exists()
