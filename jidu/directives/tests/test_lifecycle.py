import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from jidu.core.models import AuditLog
from jidu.directives import services
from jidu.directives.models import Directive, DirectiveReminder, DirectiveSetting
from jidu.notifications.models import Notification
from jidu.orders.models import OrderEvent

from .conftest import at

pytestmark = pytest.mark.django_db
# Friday 2026-11-27 10:00: 3 working days for a 督办单 reply end on Wednesday 12-02 23:59:59.
ISSUE_AT = (2026, 11, 27, 10, 0)


@pytest.fixture
def issued(proposal, people, clock):
    def make(order_no="T-0100"):
        clock.set(2026, 11, 27, 9, 0)  # proposed an hour before it is issued, whatever today's date
        d = proposal(order_no)
        clock.set(*ISSUE_AT)
        return services.issue(d, by=people["supervisor"])

    return make


def test_issuing_numbers_a_duban_document_notifies_the_department_and_writes_the_timeline(proposal, people, issued):
    d = issued()
    d.refresh_from_db()
    assert d.state == "issued" and d.issued_by == people["supervisor"]
    assert d.reply_due == at(2026, 12, 2, 23, 59, 59)
    assert d.document_number.startswith("舟司执监督〔2026〕") and d.document_id
    from jidu.documents.models import OfficialDocument

    doc = OfficialDocument.objects.get(pk=d.document_id)
    assert doc.addressee == d.addressee and doc.doc_type.code == "duban" and d.order.order_no in doc.body
    assert Notification.objects.filter(user=people["handler"], kind="directive_issued").count() == 1
    assert not Notification.objects.filter(user=people["other"]).exists()
    assert d.order.events.filter(kind=OrderEvent.Kind.NOTE, note__contains="签发").exists()
    assert AuditLog.objects.filter(object_type="directives.directive", object_id=str(d.pk),
                                   detail__event="directive_issued").exists()


def test_yellow_card_issues_a_reminder_letter(order, people, clock):
    from jidu.directives.models import DirectiveRule

    o = order("T-0101", received_at="2026-09-01 09:00:00", due_at="2026-09-14 23:59:59",
              lead_department="普陀区市场监督管理局")
    services.propose_for_rule(DirectiveRule.objects.get(code="yellow-due-soon"), at(2026, 9, 14, 9, 0))
    clock.set(*ISSUE_AT)
    d = services.issue(Directive.objects.get(order=o), by=people["supervisor"])
    assert d.document_number.startswith("舟司执监提〔2026〕")
    assert d.reply_due == at(2026, 11, 30, 23, 59, 59)  # 1 working day: the next Monday


def test_reply_accept_and_return_cycle(proposal, people, issued, clock):
    d = issued()
    clock.set(2026, 11, 30, 15, 0)
    r = services.reply(d, by=people["handler"], text="已约谈商户并退还差价",
                       attachment=SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 test"))
    d.refresh_from_db()
    assert d.state == "replied" and r.attachment_name == "整改报告.pdf" and d.next_check_at is None
    assert Notification.objects.filter(user=people["supervisor"], kind="directive_replied").exists()
    clock.set(2026, 12, 1, 9, 0)
    services.return_reply(d, by=people["supervisor"], note="未说明对商户的处罚情况")
    d.refresh_from_db()
    assert d.state == "issued" and d.returns == 1 and d.reply_due == at(2026, 12, 4, 23, 59, 59)
    assert d.replies.get().decision == "returned"
    services.reply(d, by=people["handler"], text="已立案查处，罚款2000元")
    services.accept(d, by=people["supervisor"], note="办理到位")
    d.refresh_from_db()
    assert d.state == "accepted" and d.closed_by == people["supervisor"]
    actions = list(d.events.values_list("action", flat=True))
    assert actions == ["proposed", "issued", "replied", "returned", "replied", "accepted"]
    assert d.order.events.filter(kind=OrderEvent.Kind.NOTE, note__contains="认可回复").exists()


def test_invalid_transitions_are_refused_with_a_clear_message(proposal, people):
    d = proposal("T-0102")
    with pytest.raises(services.DirectiveError, match="当前状态为“待签发”"):
        services.accept(d, by=people["supervisor"])
    with pytest.raises(services.DirectiveError, match="只有“已签发待回复”状态才能"):
        services.reply(d, by=people["handler"], text="提前回复")
    services.issue(d, by=people["supervisor"])
    with pytest.raises(services.DirectiveError, match="当前状态为“已签发待回复”"):
        services.issue(Directive.objects.get(pk=d.pk), by=people["supervisor"])
    with pytest.raises(services.DirectiveError, match="当前状态为“已签发待回复”"):
        services.dismiss(d, by=people["supervisor"], reason="重复")
    assert Directive.objects.get(pk=d.pk).document_number  # the one document, no second one


def test_refusals_need_reasons_and_the_right_people(proposal, people):
    d = proposal("T-0103")
    with pytest.raises(services.DirectiveError, match="请填写不予督办的理由"):
        services.dismiss(d, by=people["supervisor"], reason="  ")
    with pytest.raises(PermissionDenied):
        services.issue(d, by=people["leader"])
    services.issue(d, by=people["supervisor"])
    with pytest.raises(PermissionDenied, match="被督办部门"):
        services.reply(d, by=people["other"], text="不是我们的")
    with pytest.raises(services.DirectiveError, match="请填写回复内容"):
        services.reply(d, by=people["handler"], text="")
    with pytest.raises(services.DirectiveError, match="类型不允许"):
        services.reply(d, by=people["handler"], text="见附件", attachment=SimpleUploadedFile("x.exe", b"MZ"))
    services.reply(d, by=people["handler"], text="已处理")
    with pytest.raises(services.DirectiveError, match="请填写退回理由"):
        services.return_reply(d, by=people["supervisor"], note="")
    services.dismiss(proposal("T-0104"), by=people["supervisor"], reason="已由12345中心督办")
    assert Directive.objects.get(order__order_no="T-0104").state == "dismissed"


def test_issuing_into_a_year_without_calendar_is_refused(proposal, people, clock):
    d = proposal("T-0105")
    clock.set(2031, 3, 3, 10, 0)
    with pytest.raises(services.DirectiveError, match="2031年"):
        services.issue(d, by=people["supervisor"])
    assert Directive.objects.get(pk=d.pk).state == "proposed"


def test_reminders_arrive_once_per_slot_then_escalation_copies_the_leaders(proposal, people, issued):
    d = issued()
    d.refresh_from_db()
    assert d.next_check_at == at(2026, 12, 1)  # the working day before the reply deadline
    assert services.send_reminders(now=at(2026, 11, 30, 12, 0)) == "催办 0 次，升级 0 件"
    for _ in range(2):
        services.send_reminders(now=at(2026, 12, 1, 9, 0))
    assert DirectiveReminder.objects.filter(directive=d).count() == 1
    handler_notes = Notification.objects.filter(user=people["handler"], kind="directive_reminder")
    assert handler_notes.count() == 1 and "将于2026-12-02 23:59到回复时限" in handler_notes.get().title
    services.send_reminders(now=at(2026, 12, 3, 8, 0))  # overdue
    services.send_reminders(now=at(2026, 12, 3, 9, 0))
    assert handler_notes.count() == 2
    assert Notification.objects.filter(user=people["supervisor"], kind="directive_reminder").count() == 1
    assert not Notification.objects.filter(user=people["leader"]).exists()
    summary = services.send_reminders(now=at(2026, 12, 4, 0, 30))  # one working day after: escalate
    d.refresh_from_db()
    assert "升级 1 件" in summary and d.level == 2 and d.reply_due == at(2026, 12, 9, 23, 59, 59)
    assert Notification.objects.filter(user=people["leader"], kind="directive_escalated").count() == 1
    assert services.send_reminders(now=at(2026, 12, 4, 1, 0)) == "催办 0 次，升级 0 件"
    assert d.order.events.filter(note__contains="升级为2级督办").count() == 1
    assert d.events.filter(action="escalated").count() == 1


def test_the_highest_level_is_not_exceeded(proposal, people, issued):
    DirectiveSetting.objects.filter(pk=1).update(max_level=2)
    d = issued()
    Directive.objects.filter(pk=d.pk).update(level=2)
    services.send_reminders(now=at(2026, 12, 7, 9, 0))
    d.refresh_from_db()
    assert d.level == 2 and d.next_check_at is None
    assert set(d.reminders.values_list("slot", flat=True)) == {"L2R0-overdue", "L2R0-escalate"}
    assert Notification.objects.filter(user=people["leader"], title__contains="最高级别").count() == 1


def test_a_reply_stops_the_reminders(proposal, people, issued):
    d = issued()
    services.reply(d, by=people["handler"], text="已处理")
    assert services.send_reminders(now=at(2026, 12, 7, 9, 0)) == "催办 0 次，升级 0 件"
    assert not DirectiveReminder.objects.exists()


def test_two_reminder_scanners_send_once(proposal, people, issued):
    from jidu.jobs.claims import claim_due

    d = issued()
    now = at(2026, 12, 1, 9, 0)
    claimed = next(claim_due(Directive.objects.filter(state="issued"), field="next_check_at", now=now))
    assert services.send_reminders(now=now) == "催办 0 次，升级 0 件"  # worker B finds it claimed
    services.process_reminders(claimed, now)
    services.process_reminders(Directive.objects.get(pk=d.pk), now)  # a late duplicate: the slot row refuses
    assert Notification.objects.filter(user=people["handler"], kind="directive_reminder").count() == 1


def test_dt_helpers():
    assert services.working_day_before(dt.date(2026, 10, 8), 1) == dt.date(2026, 9, 30)
