import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from jidu.core.models import AuditLog
from jidu.directives import services
from jidu.directives.models import Directive, DirectiveRule, DirectiveSetting
from jidu.jobs.claims import claim_due
from jidu.orders.models import OrderEvent, WorkOrder
from jidu.worktime import services as worktime
from jidu.worktime.models import TimeLimit

from .conftest import at

pytestmark = pytest.mark.django_db
PT = "普陀区市场监督管理局"


def proposals(order, code=None):
    qs = Directive.objects.filter(order=order)
    return qs.filter(rule__code=code) if code else qs


def test_defaults_are_seeded_and_admin_edits_survive_a_reload():
    rule = DirectiveRule.objects.get(code="yellow-due-soon")
    assert rule.trigger == "due_soon" and rule.kind == "yellow" and rule.param("working_days") == 1
    assert TimeLimit.objects.get(key="directive.reply").amount == 3
    assert DirectiveSetting.objects.get(pk=1).copy_roles == ["leader"]
    rule.name, rule.active = "管理员改过的名称", False
    rule.save()
    TimeLimit.objects.filter(key="directive.reply").update(amount=5)
    call_command("load_directive_defaults", stdout=StringIO())
    rule.refresh_from_db()
    assert rule.name == "管理员改过的名称" and rule.active is False
    assert TimeLimit.objects.get(key="directive.reply").amount == 5
    assert DirectiveRule.objects.filter(code="yellow-due-soon").count() == 1


def test_yellow_card_on_the_working_day_before_a_deadline_that_falls_on_a_holiday(order):
    # 2026-10-02 is in the National Day holiday; the working day before it is 09-30, not 10-01.
    assert not worktime.is_working_day(dt.date(2026, 10, 1)) and worktime.is_working_day(dt.date(2026, 9, 30))
    o = order("T-0001", received_at="2026-09-18 09:00:00", due_at="2026-10-02 18:00:00", lead_department=PT)
    services.propose_due(now=at(2026, 9, 29, 16, 0))
    assert not proposals(o).exists()
    summary = services.propose_due(now=at(2026, 9, 30, 8, 0))
    d = proposals(o, "yellow-due-soon").get()
    assert d.kind == "yellow" and d.state == "proposed" and d.addressee.name == PT
    assert "2026-10-02 18:00" in d.reason and "新增督办建议 1 条" in summary
    assert ["工单编号", "T-0001"] in d.evidence


def test_yellow_card_n_working_days_before_counts_working_days_only(order):
    DirectiveRule.objects.filter(code="yellow-due-soon").update(parameters={"working_days": 2})
    # Deadline Monday 2026-09-14: two working days before is Thursday 09-10 (the weekend does not count).
    o = order("T-0002", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59")
    services.propose_due(now=at(2026, 9, 9, 12, 0))
    assert not proposals(o).exists()
    services.propose_due(now=at(2026, 9, 10, 0, 5))
    assert proposals(o, "yellow-due-soon").count() == 1


def test_red_card_when_overdue_supersedes_the_waiting_yellow_card(order):
    o = order("T-0003", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59")
    services.propose_due(now=at(2026, 9, 14, 9, 0))
    yellow = proposals(o, "yellow-due-soon").get()
    services.propose_due(now=at(2026, 9, 15, 0, 30))
    red = proposals(o, "red-overdue").get()
    yellow.refresh_from_db()
    assert red.kind == "red" and "超过办理时限" in red.reason
    assert yellow.state == "dismissed" and f"红牌督办#{red.pk}" in yellow.dismissed_reason
    assert list(yellow.events.values_list("action", flat=True)) == ["proposed", "dismissed"]
    # proposals are the supervisors' worklist: not on the order's timeline, which departments read
    assert not o.events.filter(kind=OrderEvent.Kind.NOTE, note__contains="督办").exists()
    assert AuditLog.objects.filter(object_type="directives.directive", detail__event="directive_proposed").count() == 2


def test_rerunning_the_proposer_never_duplicates(order):
    o = order("T-0004", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59")
    for _ in range(3):
        services.propose_due(now=at(2026, 9, 16, 9, 0))
    assert proposals(o, "red-overdue").count() == 1
    assert services.propose_for_rule(DirectiveRule.objects.get(code="red-overdue"), at(2026, 9, 16, 10, 0)) == 0


def test_two_scanners_never_propose_twice(order):
    o = order("T-0005", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59")
    now = at(2026, 9, 16, 9, 0)
    red = DirectiveRule.objects.filter(code="red-overdue")
    # Worker A claims the red-card rule and is still working on it ...
    claimed = next(claim_due(red, field="next_scan_at", now=now))
    # ... while worker B runs a whole pass: it cannot claim that rule, so it proposes no red card.
    services.propose_due(now=now)
    assert not proposals(o, "red-overdue").exists()
    # A finishes; its insert and any late duplicate are settled by the unique constraint.
    assert services.propose_for_rule(claimed, now) == 1
    assert services.create_proposal(claimed, o, reason="重复", evidence=[], now=now) is None
    assert proposals(o, "red-overdue").count() == 1


def test_finished_orders_lose_their_waiting_deadline_proposals(order):
    o = order("T-0006", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59",
              updated_at="2026-09-01 09:00:00")
    services.propose_due(now=at(2026, 9, 15, 9, 0))
    order("T-0006", status="办结", updated_at="2026-09-15 10:00:00")
    summary = services.propose_due(now=at(2026, 9, 15, 11, 0))
    d = proposals(o, "red-overdue").get()
    assert d.state == "dismissed" and "办结" in d.dismissed_reason and "自动撤销 1 条" in summary


def test_unsatisfied_callback_proposes_a_duban_on_arrival_once(proposal, order):
    d = proposal("T-0010")
    assert d.kind == "duban" and d.state == "proposed" and "不满意" in d.reason
    order("T-0010", status="已回访", callback_satisfaction="不满意", callback_resolution="未解决",
          callback_at="2026-09-10 10:00:00", lead_department=PT, title="再次推送")
    assert Directive.objects.filter(order=d.order, rule__code="duban-unsatisfied").count() == 1


def test_an_unsatisfied_callback_later_overwritten_is_still_found(order, monkeypatch):
    from jidu.intake.signals import orders_ingested

    monkeypatch.setattr(orders_ingested, "receivers", [])
    monkeypatch.setattr(orders_ingested, "sender_receivers_cache", {})
    order("T-0011", status="已回复", updated_at="2026-09-05 10:00:00")
    order("T-0011", status="已回访", callback_satisfaction="不满意", updated_at="2026-09-06 10:00:00")
    o = order("T-0011", status="办结", callback_satisfaction="满意", updated_at="2026-09-09 10:00:00")
    assert not Directive.objects.exists()
    services.propose_due()
    d = proposals(o, "duban-unsatisfied").get()
    assert "曾评价为“不满意”" in d.reason


def test_reopened_order_proposes_a_level_two_duban_superseding_the_waiting_one(order):
    order("T-0012", status="已回访", callback_satisfaction="不满意", updated_at="2026-09-05 10:00:00")
    first = proposals(WorkOrder.objects.get(order_no="T-0012"), "duban-unsatisfied").get()
    o = order("T-0012", status="重办", updated_at="2026-09-06 10:00:00")
    d = proposals(o, "duban-reopened").get()
    assert d.kind == "duban" and d.level == 2 and "重办" in d.reason
    first.refresh_from_db()
    assert first.state == "dismissed" and f"督办单#{d.pk}（2级）" in first.dismissed_reason


def test_repeat_complaints_by_one_caller_propose_one_duban_for_the_cluster(order):
    DirectiveRule.objects.filter(code="duban-repeat").update(active=True)
    from django.utils import timezone

    today = timezone.localtime()
    for n in range(3):
        stamp = (today - dt.timedelta(days=3 - n)).strftime("%Y-%m-%d %H:%M:%S")
        order(f"T-002{n}", received_at=stamp, lead_department=PT, caller_phone="13900001111")
    ds = Directive.objects.filter(rule__code="duban-repeat")
    assert ds.count() == 1
    assert ds.get().orders.count() == 3 and "反映3次" in ds.get().reason
    order("T-0023", received_at=today.strftime("%Y-%m-%d %H:%M:%S"), lead_department=PT, caller_phone="13900001111")
    assert ds.count() == 1  # the cluster already has its directive


def test_orders_without_a_lead_department_are_not_proposed(order):
    o = order("T-0007", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59", lead_department="")
    services.propose_due(now=at(2026, 9, 16, 9, 0))
    assert WorkOrder.objects.get(pk=o.pk).lead_department is None and not proposals(o).exists()


def test_a_missing_calendar_year_is_reported_not_guessed(order):
    o = order("T-0008", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59")
    summary = services.propose_due(now=at(2031, 6, 2, 9, 0))
    assert "2031年的节假日安排尚未录入" in summary
    assert not proposals(o, "yellow-due-soon").exists()


def test_scan_command_runs_both_scanners(order, clock):
    clock.set(2026, 9, 16, 9, 0)
    order("T-0009", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59")
    out = StringIO()
    call_command("scan_directives", stdout=out)
    assert "新增督办建议" in out.getvalue() and "催办" in out.getvalue()


def test_rule_parameters_are_validated_for_the_admin():
    from django.core.exceptions import ValidationError

    rule = DirectiveRule.objects.get(code="yellow-due-soon")
    rule.parameters = {"working_days": "一天", "satisfaction": ["很差"]}
    with pytest.raises(ValidationError) as err:
        rule.full_clean()
    text = str(err.value)
    assert "“working_days”须为正整数" in text and "很差 不是有效值" in text
    rule.parameters, rule.reply_limit_key = {"working_days": 2}, "no.such.key"
    with pytest.raises(ValidationError, match="没有代码“no.such.key”"):
        rule.full_clean()


def test_a_rule_with_unusable_parameters_does_not_stop_the_others(order):
    DirectiveRule.objects.filter(code="yellow-due-soon").update(parameters={"working_days": "x"})
    o = order("T-0030", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59")
    summary = services.propose_due(now=at(2026, 9, 15, 9, 0))
    assert "参数有误" in summary and proposals(o, "red-overdue").exists()
