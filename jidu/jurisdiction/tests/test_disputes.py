import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from jidu.core.models import AuditLog
from jidu.jurisdiction.models import Dispute, DisputeSetting, ListEntry, Notice, Precedent, ReminderSent
from jidu.jurisdiction.services import advice, disputes
from jidu.orders.models import OrderEvent, Status
from jidu.worktime import services as worktime
from jidu.worktime.models import TimeLimit

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def test_return_opens_one_dispute_idempotently(returned, order, dept):
    d = returned("R1")
    assert d.via == "return" and d.returning_department == dept("PT_SCJG")
    assert "非本单位职责" in d.reason
    assert d.due_at == d.opened_at + dt.timedelta(hours=24)
    order("R1", status="退单申请", address="普陀区沈家门")  # the hotline re-sends it
    assert Dispute.objects.filter(order=d.order).count() == 1
    assert disputes.open_for_returned_orders([d.order.pk]) == []
    assert d.order.events.filter(kind="note", note__contains="派单争议开启").count() == 1
    assert Notice.objects.filter(dispute=d, role="supervisor").exists()


def test_orders_not_returned_open_nothing(order):
    o = order("N1", status="已派单")
    assert not Dispute.objects.filter(order=o).exists()


def test_dispatcher_flags_a_dispute(order, make_user, dept):
    o = order("F1")
    user = make_user("disp", "dispatcher")
    d, created = disputes.open_dispute(o, via="flag", by=user, reason="职责交叉", returning_department=dept("SCJG"))
    again, created2 = disputes.open_dispute(o, via="flag", by=user, reason="再次")
    assert created and not created2 and again.pk == d.pk


def test_clock_hours_ignore_holidays_working_days_do_not():
    start = at(2026, 10, 1, 9, 0)  # National Day
    assert worktime.deadline(start, "dispute") == at(2026, 10, 2, 9, 0)
    TimeLimit.objects.create(key="wd1", name="一个工作日", amount=1, unit=TimeLimit.Unit.WORKING_DAYS)
    worktime.invalidate_cache()
    limit = worktime.deadline(start, "wd1")
    assert limit.date() > dt.date(2026, 10, 2)
    assert worktime.is_working_day(limit.date())


def test_dispute_opened_on_national_day_due_24h_later(order):
    o = order("H1")
    d, _ = disputes.open_dispute(o, via="flag", reason="x", opened_at=at(2026, 10, 1, 10, 30))
    assert d.due_at == at(2026, 10, 2, 10, 30)


def test_due_limit_is_configurable(order):
    TimeLimit.objects.filter(key="dispute").update(amount=12)
    worktime.invalidate_cache()
    try:
        d, _ = disputes.open_dispute(order("C1"), via="flag", reason="x", opened_at=at(2026, 9, 1, 8))
        assert d.due_at == at(2026, 9, 1, 20)
    finally:
        worktime.invalidate_cache()


def _decide(d, user, dept, **kw):
    return disputes.decide(d, by=user, lead=kw.pop("lead", dept("PT_WGLT")), co=kw.pop("co", [dept("PT_SCJG")]),
                           basis_text="民宿行业管理属文化和旅游部门；消费纠纷调解由市场监管协办",
                           citation="ZS-PD-014", **kw)


def test_decision_redispatches_notifies_timeline_and_audit(returned, make_user, dept):
    d = returned("D1")
    sup = make_user("sup", "supervisor", "SFJ")
    _decide(d, sup, dept)
    d.refresh_from_db()
    o = d.order
    o.refresh_from_db()
    assert d.state == "decided" and d.decided_by == sup and d.decided_lead == dept("PT_WGLT")
    assert o.lead_department == dept("PT_WGLT") and o.status == Status.REDISPATCHED
    assert list(o.co_departments.values_list("department__code", flat=True)) == ["PT_SCJG"]
    kinds = set(o.events.filter(actor=sup).values_list("kind", flat=True))
    assert kinds == {"assigned", "status", "note"}
    note = o.events.get(actor=sup, kind="note").note
    assert "派单争议" in note and "依据" in note
    assert AuditLog.objects.filter(object_type="jurisdiction.dispute", object_id=str(d.pk),
                                   detail__event="decide_dispute").exists()
    notified = set(Notice.objects.filter(dispute=d).exclude(department=None).values_list("department__code",
                                                                                          flat=True))
    assert {"PT_SCJG", "PT_WGLT"} <= notified


def test_party_cannot_decide(returned, make_user, dept):
    d = returned("P1")
    party = make_user("ptsup", "supervisor", "PT_SCJG")  # the returning department
    with pytest.raises(PermissionDenied, match="当事方"):
        _decide(d, party, dept)
    disputes.add_claim(d, department=dept("PT_WGLT"), position="not_ours", text="不是文旅的事")
    other = make_user("wgsup", "supervisor", "PT_WGLT")  # a claimant is a party too
    with pytest.raises(PermissionDenied):
        _decide(d, other, dept)
    handler = make_user("h", "handler", "SFJ")  # no decide permission
    with pytest.raises(PermissionDenied):
        _decide(d, handler, dept)
    d.refresh_from_db()
    assert d.state == "open"


def test_second_decision_gets_clear_message_and_writes_nothing(returned, make_user, dept):
    d = returned("S1")
    a, b = make_user("a", "supervisor", "SFJ"), make_user("b", "supervisor", "SFJ")
    stale = Dispute.objects.get(pk=d.pk)  # b's page was loaded before a decided
    _decide(d, a, dept)
    events, notices, audits = OrderEvent.objects.count(), Notice.objects.count(), AuditLog.objects.count()
    with pytest.raises(disputes.AlreadySettled, match="已由a于.*裁定"):
        _decide(stale, b, dept, lead=dept("PT_GA"), co=[])
    d.refresh_from_db()
    assert d.decided_by.username == "a" and d.decided_lead == dept("PT_WGLT")
    assert list(d.decided_co.values_list("code", flat=True)) == ["PT_SCJG"]
    assert (OrderEvent.objects.count(), Notice.objects.count(), AuditLog.objects.count()) == (events, notices, audits)
    d.order.refresh_from_db()
    assert d.order.lead_department == dept("PT_WGLT")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL row locks")
def test_two_supervisors_deciding_at_once_postgres(committed_reference, ingest, record, make_user, dept):
    from django.db import connections

    ingest(record("T2", status="退单申请", lead_department="普陀区市场监督管理局", return_reason="非我局职责"))
    d = Dispute.objects.get(order__order_no="T2")
    users = [make_user("x1", "supervisor", "SFJ"), make_user("x2", "supervisor", "SFJ")]
    leads = [dept("PT_WGLT"), dept("PT_GA")]
    barrier, results = threading.Barrier(2), []

    def run(i):
        try:
            stale = Dispute.objects.get(pk=d.pk)
            barrier.wait()
            _decide(stale, users[i], dept, lead=leads[i], co=[])
            results.append("won")
        except disputes.AlreadySettled as exc:
            results.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert results.count("won") == 1 and any("您的裁定未保存" in r for r in results)
    d.refresh_from_db()
    assert d.order.events.filter(kind="assigned").count() == 1
    assert AuditLog.objects.filter(detail__event="decide_dispute", object_id=str(d.pk)).count() == 1


def test_reminders_sent_once_each_and_escalation_once(returned):
    d = returned("M1")
    opened = d.opened_at
    assert disputes.scan(opened + dt.timedelta(hours=1)) == {"reminders": 0, "escalated": 0}
    assert disputes.scan(opened + dt.timedelta(hours=12, minutes=1)) == {"reminders": 1, "escalated": 0}
    assert disputes.scan(opened + dt.timedelta(hours=13)) == {"reminders": 0, "escalated": 0}
    assert disputes.scan(opened + dt.timedelta(hours=20, minutes=5)) == {"reminders": 1, "escalated": 0}
    assert disputes.scan(opened + dt.timedelta(hours=25)) == {"reminders": 0, "escalated": 1}
    assert disputes.scan(opened + dt.timedelta(hours=30)) == {"reminders": 0, "escalated": 0}
    d.refresh_from_db()
    assert d.state == "escalated"
    assert set(ReminderSent.objects.filter(dispute=d).values_list("point", flat=True)) == {"12h", "20h", "escalate"}
    assert Notice.objects.filter(dispute=d, role="leader").count() == 1
    assert Notice.objects.filter(dispute=d, role="supervisor", text__contains="提醒").count() == 2


def test_reminder_schedule_is_data(returned):
    DisputeSetting.objects.update_or_create(pk=1, defaults={"reminder_hours": [6]})
    d = returned("M2")
    assert disputes.scan(d.opened_at + dt.timedelta(hours=7))["reminders"] == 1
    assert disputes.scan(d.opened_at + dt.timedelta(hours=21))["reminders"] == 0


def test_reminder_already_claimed_by_another_worker_is_not_sent(returned):
    d = returned("M3")
    ReminderSent.objects.create(dispute=d, point="12h")  # the other worker's claim
    before = Notice.objects.count()
    assert disputes.scan(d.opened_at + dt.timedelta(hours=12, minutes=1))["reminders"] == 0
    assert Notice.objects.count() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_two_workers_send_each_reminder_once_postgres(committed_reference, ingest, record):
    from django.db import connections

    ingest(record("W2", status="退单申请", lead_department="普陀区市场监督管理局"))
    d = Dispute.objects.get(order__order_no="W2")
    when = d.opened_at + dt.timedelta(hours=20, minutes=1)
    barrier, results = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            results.append(disputes.scan(when))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum(r["reminders"] for r in results) == 2  # 12h and 20h, once each
    assert Notice.objects.filter(dispute=d, text__contains="提醒").count() == 2


def test_task_runs_the_scan(returned):
    from jidu.jurisdiction.tasks import scan_disputes_task

    returned("K1")
    result = scan_disputes_task.enqueue()
    assert result.return_value == {"reminders": 0, "escalated": 0}


def test_promote_to_precedent_and_list_entry_improves_next_advice(returned, order, make_user, dept):
    d = returned("PR1", title="电竞酒店网速太慢", content="入住电竞酒店，宣传千兆网络，实际网速很慢，要求退房费。",
                 lead_department="普陀区文化和广电旅游体育局")
    sup = make_user("sup", "supervisor", "SFJ")
    with pytest.raises(disputes.DisputeError):
        disputes.promote(d, target="precedent", by=sup)
    disputes.decide(d, by=sup, lead=dept("PT_SCJG"), co=[], basis_text="消费纠纷由市场监管部门受理调解",
                    citation="《中华人民共和国消费者权益保护法》第二十条")
    p = disputes.promote(d, target="precedent", by=sup, matter="电竞酒店网速与宣传不符", keywords=["电竞酒店", "网速"])
    assert isinstance(p, Precedent) and p.dispute == d and p.lead_department == dept("PT_SCJG")
    with pytest.raises(disputes.DisputeError, match="已转为先例"):
        disputes.promote(d, target="precedent", by=sup)
    entry = disputes.promote(d, target="entry", by=sup, matter="电竞酒店网速与宣传不符", keywords=["电竞酒店+网速"])
    assert isinstance(entry, ListEntry) and entry.list_type == "boundary" and entry.source == "ruling"
    assert entry.from_dispute == d and entry.versions.count() == 1 and "争议" in entry.source_detail
    assert d.order.events.filter(note__contains="已转为").count() == 2
    # the next similar order gets the precedent and the new entry as reasons
    nxt = order("PR2", title="电竞酒店网速不达标", content="电竞酒店说是千兆网络，实际网速很慢，投诉酒店。",
                area="普陀区", status="受理", lead_department="")
    result = advice.advise_order(nxt)
    top = result["departments"][0]
    assert top["name"] == "普陀区市场监督管理局"
    kinds = {r["kind"] for r in top["reasons"]}
    assert {"precedent", "entry"} <= kinds
    assert result["precedents"][0]["precedent_id"] == p.pk
    assert any(e["entry_id"] == entry.pk for e in result["entries"])


def test_withdraw(returned, make_user):
    d = returned("WD1")
    disputes.withdraw(d, by=make_user("s", "supervisor"), note="已协商解决")
    assert d.state == "withdrawn"
    with pytest.raises(disputes.AlreadySettled):
        disputes.withdraw(d, by=None)


def test_a_return_from_history_opens_at_the_time_of_the_return_and_closes_when_the_hotline_moves_on(order):
    import datetime as dt

    from django.utils import timezone

    from jidu.jurisdiction.models import Dispute

    order("H1", status="已派单", updated_at="2026-09-01 10:00:00")
    o = order("H1", status="退单申请", return_reason="非本单位职责", updated_at="2026-09-02 08:00:00")
    dispute = Dispute.objects.get(order=o)
    returned_at = timezone.make_aware(dt.datetime(2026, 9, 2, 8, 0))
    assert dispute.opened_at == returned_at
    assert dispute.due_at == returned_at + dt.timedelta(hours=24)
    order("H1", status="已改派", updated_at="2026-09-02 12:00:00")
    dispute.refresh_from_db()
    assert dispute.state == "withdrawn" and "已改派" in dispute.closed_note
    assert not Dispute.objects.filter(order=o, state__in=Dispute.UNSETTLED).exists()
