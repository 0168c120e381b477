"""The one intake code path: upsert on order number, history, stale versions, flags, row errors."""

import datetime as dt

import pytest
from django.utils import timezone

from jidu.orders.models import OrderCoDepartment, OrderEvent, Status, WorkOrder

pytestmark = pytest.mark.django_db


def test_new_order_is_created_with_computed_deadline_and_lead_department(ingest, record):
    [outcome] = ingest(record())
    assert outcome.result == "created" and not outcome.errors
    order = WorkOrder.objects.get(order_no="ZS001")
    assert order.status == Status.DISPATCHED and order.order_type == "complaint"
    assert order.area.name == "普陀区"
    assert order.lead_department.code == "SCJG"
    # 投诉: 15 working days from Tue 2026-09-01; Sun 2026-09-20 is a make-up workday → 2026-09-21
    assert timezone.localtime(order.due_at).date() == dt.date(2026, 9, 21)
    assert not order.co_departments.exists()
    assert order.events.get().kind == OrderEvent.Kind.CREATED


def test_resending_the_same_order_never_duplicates(ingest, record):
    ingest(record())
    [again] = ingest(record())
    assert again.result == "unchanged"
    assert WorkOrder.objects.filter(order_no="ZS001").count() == 1
    assert OrderEvent.objects.filter(order__order_no="ZS001").count() == 1


def test_changes_land_on_the_timeline_from_to(ingest, record):
    ingest(record(updated_at="2026-09-01 10:00:00"))
    [out] = ingest(record(status="已回复", reply_text="经查属实，已责令整改。", replied_at="2026-09-05 15:00",
                          updated_at="2026-09-05 15:00:00"))
    assert out.result == "updated"
    order = WorkOrder.objects.get(order_no="ZS001")
    assert order.status == Status.REPLIED
    status_event = order.events.get(kind=OrderEvent.Kind.STATUS)
    assert (status_event.old_value, status_event.new_value) == ("已派单", "已回复")
    assert order.events.filter(field="答复内容", new_value="经查属实，已责令整改。").exists()


def test_an_older_update_never_overwrites_a_newer_one(ingest, record):
    ingest(record(status="已回复", updated_at="2026-09-05 15:00:00"))
    [out] = ingest(record(status="已派单", updated_at="2026-09-02 08:00:00"))
    assert out.result == "stale"
    assert "更旧" in out.warnings[0].reason
    order = WorkOrder.objects.get(order_no="ZS001")
    assert order.status == Status.REPLIED
    assert order.events.filter(kind=OrderEvent.Kind.STALE).count() == 1


def test_same_order_twice_in_one_batch_last_wins_and_is_reported(ingest, record):
    outcomes = ingest(record(status="已派单"), record(status="已签收"))
    assert [o.result for o in outcomes] == ["created", "created"]
    assert "重复" in outcomes[1].warnings[0].reason and "第1行" in outcomes[1].warnings[0].reason
    assert WorkOrder.objects.get(order_no="ZS001").status == Status.SIGNED


def test_bad_rows_are_reported_with_column_value_reason_and_good_rows_kept(ingest, record):
    outcomes = ingest(record("A1"), record("A2", received_at="2026-13-45 10:00"), record("A3", order_type="闲聊"),
                      record("", content="无编号"), record("A5"))
    assert [o.result for o in outcomes] == ["created", "error", "error", "error", "created"]
    bad_date = outcomes[1].errors[0]
    assert (bad_date.column, bad_date.value) == ("受理时间", "2026-13-45 10:00")
    assert "咨询" in outcomes[2].errors[0].reason  # lists the allowed values
    assert outcomes[3].errors[0].column == "工单编号"
    assert set(WorkOrder.objects.values_list("order_no", flat=True)) == {"A1", "A5"}


def test_unknown_department_and_area_are_kept_and_flagged(ingest, record):
    [out] = ingest(record(lead_department="舟山市不存在局", area="火星区", updated_at="2026-09-01 10:00:00"))
    assert out.result == "created"
    order = WorkOrder.objects.get(order_no="ZS001")
    assert order.lead_department is None and order.area is None
    assert order.area_text == "火星区" and "舟山市不存在局" in order.departments_text
    assert {f["code"] for f in order.flags} == {"unknown_area", "unknown_department"}
    # Once the hotline sends a known department, the flag goes away.
    ingest(record(lead_department="市场监管局", area="普陀区", updated_at="2026-09-02 00:00:00"))
    order.refresh_from_db()
    assert order.flags == [] and order.lead_department.code == "SCJG"


def test_co_departments_are_assigned_and_changes_recorded(ingest, record):
    ingest(record(co_departments="舟山市文化和广电旅游体育局；舟山市综合行政执法局", updated_at="2026-09-01 10:00:00"))
    order = WorkOrder.objects.get(order_no="ZS001")
    assert order.lead_department.code == "SCJG"
    assert set(order.co_departments.values_list("department__code", flat=True)) == {"WGLT", "ZHZF"}
    ingest(record(lead_department="舟山市文化和广电旅游体育局", co_departments="",
                  updated_at="2026-09-03 00:00:00"))
    # An empty cell means "not given": co-departments stay, except the one that became the lead.
    order.refresh_from_db()
    assert order.lead_department.code == "WGLT"
    assert set(OrderCoDepartment.objects.filter(order=order).values_list("department__code", flat=True)) == {
        "ZHZF"}
    assert order.events.filter(kind=OrderEvent.Kind.ASSIGNED).exists()


def test_personal_data_changes_never_appear_in_the_timeline(ingest, record):
    ingest(record(updated_at="2026-09-01 10:00:00"))
    ingest(record(caller_phone="13900001111", updated_at="2026-09-02 10:00:00"))
    event = OrderEvent.objects.get(field="联系电话")
    assert "13900001111" not in event.new_value and "13812345678" not in event.old_value


def test_order_in_a_year_without_calendar_is_kept_and_flagged(ingest, record):
    [out] = ingest(record(received_at="2026-12-28 09:00"))
    assert out.result == "created"
    order = WorkOrder.objects.get(order_no="ZS001")
    assert order.due_at is None
    assert order.flags[0]["code"] == "calendar_missing" and "2027年" in order.flags[0]["message"]


def test_content_limit_is_enforced_with_a_clear_reason(ingest, record, settings):
    settings.JIDU_MAX_CONTENT_CHARS = 100_000
    ok, too_long = ingest(record("L1", content="海" * 100_000), record("L2", content="海" * 100_001))
    assert ok.result == "created" and len(WorkOrder.objects.get(order_no="L1").content) == 100_000
    assert too_long.result == "error" and "100001" in too_long.errors[0].reason


def test_record_from_another_source_is_refused(ingest, record):
    [out] = ingest(record(source="110"))
    assert out.result == "error" and "来源" in out.errors[0].reason


def test_nul_characters_are_dropped_so_every_database_accepts_the_text(ingest, record):
    [out] = ingest(record(content="海鲜\x00排档", title="\x00短斤少两"))
    assert out.result == "created"
    order = WorkOrder.objects.get(order_no="ZS001")
    assert (order.content, order.title) == ("海鲜排档", "短斤少两")


def test_chunk_signal_says_which_updates_changed_the_text(ingest, record):
    from jidu.intake.signals import orders_ingested

    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    orders_ingested.connect(receiver, dispatch_uid="test.text_changed")
    try:
        ingest(record("T-1", updated_at="2026-09-01 10:00:00"), record("T-2", updated_at="2026-09-01 10:00:00"))
        ingest(record("T-1", status="已签收", updated_at="2026-09-02 10:00:00"),
               record("T-2", content="内容改了", updated_at="2026-09-02 10:00:00"))
    finally:
        orders_ingested.disconnect(dispatch_uid="test.text_changed")
    t1, t2 = (WorkOrder.objects.get(order_no=n).pk for n in ("T-1", "T-2"))
    assert seen[0]["created_ids"] == [t1, t2] and seen[0]["via"] == "other"
    assert seen[1]["updated_ids"] == [t1, t2] and seen[1]["text_changed_ids"] == [t2]
