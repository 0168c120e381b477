import datetime as dt
import hashlib
import hmac

import pytest
from django.core import mail
from django.utils import timezone

from jidu.notifications import services
from jidu.notifications.models import Channel, Delivery, Notification, Preference
from jidu.notifications.tests.conftest import local
from jidu.org.models import Department

pytestmark = pytest.mark.django_db


def test_notify_reaches_users_departments_and_roles_once_each(make_user):
    a = make_user("a1", "handler", "PT_SCJG")
    b = make_user("a2", "handler", "PT_SCJG")
    gone = make_user("a3", "handler", "PT_SCJG")
    gone.is_active = False
    gone.save()
    sup = make_user("s1", "supervisor", "SFJ")
    made = services.notify([a, Department.objects.get(code="PT_SCJG"), "supervisor"], kind="test.hello",
                           title="您好", body="正文", url="/orders/")
    assert sorted(n.user.username for n in made) == ["a1", "a2", "s1"]
    assert not Notification.objects.filter(user=gone).exists()
    assert Notification.objects.filter(user=sup, title="您好", url="/orders/").count() == 1
    assert b.notifications.count() == 1


def test_the_same_dedupe_key_never_notifies_a_user_twice(make_user):
    a = make_user("d1", "supervisor")
    first = services.notify([a], kind="dispute.reminder", title="提醒", dedupe_key="dispute:1:12h")
    again = services.notify([a, a], kind="dispute.reminder", title="提醒", dedupe_key="dispute:1:12h")
    b = make_user("d2", "supervisor")
    third = services.notify("supervisor", kind="dispute.reminder", title="提醒", dedupe_key="dispute:1:12h")
    assert len(first) == 1 and again == [] and [n.user for n in third] == [b]
    assert Notification.objects.filter(dedupe_key="dispute:1:12h").count() == 2
    # No dedupe key: every call is a new row.
    services.notify([a], kind="x", title="无键")
    services.notify([a], kind="x", title="无键")
    assert Notification.objects.filter(user=a, title="无键").count() == 2


def test_notify_refuses_unknown_recipients_and_links_the_object(make_user):
    a = make_user("o1", "leader")
    with pytest.raises(ValueError, match="未知的角色代码"):
        services.notify(["boss"], kind="x", title="t")
    dept = Department.objects.get(code="PT_SCJG")
    n, = services.notify(a, kind="x", title="t", obj=dept)
    assert n.obj == dept


def test_quiet_hours_postpone_a_delivery_to_the_morning(make_user, webhook, receiver):
    a = make_user("q1", "supervisor")
    night = local(2026, 9, 29, 23, 0)  # a Tuesday
    with _frozen(night):
        n, = services.notify([a], kind="x", title="夜间消息")
    d = Delivery.objects.get(notification=n)
    assert d.next_attempt_at == local(2026, 9, 30, 7, 30) and "免打扰" in d.postponed_reason
    assert "发送 0 条" in services.deliver_due(local(2026, 9, 30, 1, 0))
    assert receiver.requests == []
    assert "发送 1 条" in services.deliver_due(local(2026, 9, 30, 7, 31))
    assert len(receiver.requests) == 1
    assert Notification.objects.filter(user=a).count() == 1  # the inbox had it at once


def test_a_holiday_postpones_to_the_next_working_morning_and_a_user_may_set_own_quiet_hours(make_user, webhook):
    a = make_user("h1", "supervisor")
    with _frozen(local(2026, 10, 1, 10, 0)):  # 国庆
        n, = services.notify([a], kind="x", title="节日消息")
    d = Delivery.objects.get(notification=n)
    assert d.next_attempt_at == local(2026, 10, 8, 7, 30) and "节假日" in d.postponed_reason
    pref = Preference.objects.create(user=a, quiet_start=dt.time(20, 0), quiet_end=dt.time(9, 0))
    pref.channels.add(webhook)
    with _frozen(local(2026, 9, 29, 8, 0)):
        n2, = services.notify([a], kind="x", title="早上消息")
    assert Delivery.objects.get(notification=n2).next_attempt_at == local(2026, 9, 29, 9, 0)


def test_an_urgent_notification_goes_at_once_even_at_night_on_a_holiday(make_user, webhook, receiver):
    a = make_user("u1", "supervisor")
    night = local(2026, 10, 2, 23, 30)
    with _frozen(night):
        n, = services.notify([a], kind="grade.red", title="红色线索", urgent=True)
    d = Delivery.objects.get(notification=n)
    assert d.next_attempt_at == night and d.postponed_reason == ""
    services.deliver_due(night)
    assert len(receiver.requests) == 1 and receiver.payloads()[0]["urgent"] is True


def test_the_webhook_signature_is_verifiable_by_the_receiver(make_user, webhook, receiver):
    a = make_user("w1", "supervisor", "SFJ")
    n, = services.notify([a], kind="warning.new", title="预警：投诉量激增", url="/warnings/1/", urgent=True)
    services.deliver_due()
    req, = receiver.requests
    expected = "sha256=" + hmac.new(b"s3cret-key", req["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(req["headers"]["X-Jidu-Signature"], expected)
    assert services.verify("s3cret-key", req["body"], req["headers"]["X-Jidu-Signature"])
    assert not services.verify("wrong-key", req["body"], req["headers"]["X-Jidu-Signature"])
    payload = receiver.payloads()[0]
    d = Delivery.objects.get(notification=n)
    assert req["headers"]["X-Jidu-Delivery"] == payload["delivery"] == str(d.uid)
    assert payload["title"] == "预警：投诉量激增" and payload["url"].endswith("/warnings/1/")
    assert payload["recipient"]["username"] == "w1"
    d.refresh_from_db()
    assert d.state == "sent" and d.attempts == 1 and d.next_attempt_at is None


def test_a_worker_killed_after_sending_resends_with_the_same_delivery_id_after_the_lease(
        make_user, webhook, receiver, monkeypatch):
    a = make_user("k1", "supervisor")
    n, = services.notify([a], kind="x", title="至少一次", urgent=True)
    now = timezone.now()

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("worker killed between send and record")

    monkeypatch.setattr(services, "_record_sent", killed)
    with pytest.raises(KeyboardInterrupt):
        services.deliver_due(now)
    monkeypatch.undo()
    d = Delivery.objects.get(notification=n)
    assert d.state == "pending" and d.next_attempt_at == now + services.LEASE
    assert "发送 0 条" in services.deliver_due(now + dt.timedelta(minutes=1))  # lease holds
    services.deliver_due(now + services.LEASE + dt.timedelta(seconds=1))
    assert receiver.delivery_ids() == [str(d.uid), str(d.uid)]  # receiver de-duplicates on this
    d.refresh_from_db()
    assert d.state == "sent"
    assert Notification.objects.filter(user=a, title="至少一次").count() == 1


def test_a_failing_webhook_is_retried_with_back_off_then_marked_failed(make_user, webhook, receiver):
    receiver.status = 500
    a = make_user("f1", "supervisor")
    n, = services.notify([a], kind="x", title="会失败", urgent=True)
    now = timezone.now()
    services.deliver_due(now)
    d = Delivery.objects.get(notification=n)
    assert d.state == "pending" and d.attempts == 1 and "HTTP 500" in d.last_error
    assert d.next_attempt_at == now + dt.timedelta(minutes=1)
    services.deliver_due(now + dt.timedelta(minutes=2))
    services.deliver_due(now + dt.timedelta(minutes=10))
    d.refresh_from_db()
    assert d.state == "failed" and d.attempts == 3 and d.next_attempt_at is None
    assert len(set(receiver.delivery_ids())) == 1 and len(receiver.requests) == 3


def test_two_delivery_workers_interleaved_send_each_delivery_once(make_user, webhook, receiver):
    from jidu.jobs.claims import claim_due

    users = [make_user(f"p{i}", "supervisor") for i in range(4)]
    services.notify(users, kind="x", title="并发", urgent=True)
    now = timezone.now()
    worker_a = claim_due(Delivery.objects.filter(state="pending"), field="next_attempt_at", now=now,
                         lease=services.LEASE)
    first = next(worker_a)                       # A has read the due list and claimed one
    services.deliver_due(now)                    # B sends everything else
    services.deliver_one(first, first.next_attempt_at, now)
    assert list(worker_a) == []                  # A's remaining claims are stale: nothing
    ids = receiver.delivery_ids()
    assert len(ids) == 4 and len(set(ids)) == 4


def test_email_goes_to_the_users_address_with_the_delivery_header(make_user):
    Channel.objects.filter(code="email").update(enabled=True)
    a = make_user("e1", "supervisor")
    a.email = "e1@example.org"
    a.save()
    nomail = make_user("e2", "supervisor")
    services.notify([a, nomail], kind="x", title="邮件标题", body="邮件正文", url="/notifications/", urgent=True)
    assert Delivery.objects.filter(channel__code="email").count() == 1  # no address, no e-mail delivery
    services.deliver_due()
    msg, = mail.outbox
    d = Delivery.objects.get(channel__code="email")
    assert msg.to == ["e1@example.org"] and "邮件标题" in msg.subject and "邮件正文" in msg.body
    assert msg.extra_headers["X-Jidu-Delivery"] == str(d.uid) and "/notifications/" in msg.body


def test_a_channel_only_carries_the_kinds_it_subscribes_to(make_user, webhook):
    webhook.kinds = ["dispute."]
    webhook.save()
    a = make_user("c1", "supervisor")
    services.notify([a], kind="dispute.reminder", title="争议")
    services.notify([a], kind="warning.new", title="预警")
    assert list(Delivery.objects.values_list("notification__title", flat=True)) == ["争议"]


def test_the_seeded_delivery_job_sends_through_the_scheduler(make_user, webhook, receiver):
    from jidu.jobs import services as jobs
    from jidu.jobs.models import PeriodicJob

    PeriodicJob.objects.exclude(code="deliver_notifications").update(enabled=False)
    PeriodicJob.objects.filter(code="deliver_notifications").update(enabled=True, next_run_at=timezone.now())
    services.notify([make_user("j1", "supervisor")], kind="x", title="调度投递", urgent=True)
    assert jobs.run_due()["done"] == 1
    assert len(receiver.requests) == 1
    assert "发送 1 条" in PeriodicJob.objects.get(code="deliver_notifications").last_result


class _frozen:
    """Pin timezone.now() inside notify() (deliver_due takes ``now`` explicitly)."""

    def __init__(self, moment):
        self.moment = moment

    def __enter__(self):
        import unittest.mock

        self.patch = unittest.mock.patch("jidu.notifications.services.timezone.now", return_value=self.moment)
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()
