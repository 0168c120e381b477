"""Notifications: ``notify()`` writes inbox rows at once and queues deliveries; the periodic job
``deliver_due`` sends what is due over e-mail and webhooks.

Delivery semantics (docs/JOBS.md): each Delivery row is claimed with ``jidu.jobs.claims.claim_due``
before it is sent, so two workers never send the same delivery at the same time. The send and the
"sent" record cannot be one transaction (the far side is not our database): a worker killed after
sending and before recording leaves the row claimed until its lease runs out, and the next pass
sends it again with the SAME ``X-Jidu-Delivery`` id. Delivery is therefore at-least-once and a
receiver de-duplicates on that header. The in-app inbox never duplicates: it is written once, in
``notify()``, guarded by the unique (user, dedupe_key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jidu.jobs import claims
from jidu.jobs.schedule import working_day
from jidu.notifications.models import Channel, Delivery, Notification, Preference

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=5)
MAX_BACKOFF = dt.timedelta(hours=6)
SIGNATURE_HEADER = "X-Jidu-Signature"
DELIVERY_HEADER = "X-Jidu-Delivery"


# ------------------------------------------------------------------------------------------ recipients
def resolve_recipients(recipients) -> list:
    """Users, Departments (→ their active users) and role codes (→ active users of that role),
    de-duplicated, in id order. A single recipient may be passed without a list."""
    from jidu.org.models import Department

    User = get_user_model()
    if recipients is None:
        return []
    if isinstance(recipients, (User, Department, str)):
        recipients = [recipients]
    users: dict[int, object] = {}
    dept_ids, roles = [], []
    for item in recipients:
        if item is None:
            continue
        if isinstance(item, User):
            if item.is_active:
                users[item.pk] = item
        elif isinstance(item, Department):
            dept_ids.append(item.pk)
        elif isinstance(item, str):
            if item not in User.Role.values:
                raise ValueError(f"未知的角色代码：{item}")
            roles.append(item)
        else:
            raise TypeError(f"无法识别的通知对象：{item!r}")
    if dept_ids:
        users.update({u.pk: u for u in User.objects.filter(department_id__in=dept_ids, is_active=True)})
    if roles:
        users.update({u.pk: u for u in User.objects.filter(role__in=roles, is_active=True)})
    return [users[pk] for pk in sorted(users)]


# ------------------------------------------------------------------------------------------ notify
def notify(recipients: Iterable, *, kind: str, title: str, body: str = "", url: str = "", urgent: bool = False,
           dedupe_key: str = "", obj=None) -> list[Notification]:
    """Write an inbox row for every recipient (users, departments, role codes) and queue its
    e-mail/webhook deliveries. The same (user, dedupe_key) is never notified twice: a repeat call
    returns only the rows it newly created. ``urgent=True`` (red grade) ignores quiet hours and
    holidays."""
    if not kind or not title:
        raise ValueError("通知必须有类别和标题")
    users = resolve_recipients(recipients)
    if not users:
        return []
    ct = ContentType.objects.get_for_model(obj) if obj is not None else None
    oid = str(obj.pk) if obj is not None else ""
    now = timezone.now()
    created = []
    with transaction.atomic():
        if dedupe_key:
            done = set(Notification.objects.filter(user__in=users, dedupe_key=dedupe_key)
                       .values_list("user_id", flat=True))
            users = [u for u in users if u.pk not in done]
        for user in users:
            n = Notification(user=user, kind=kind[:60], title=title[:200], body=body, url=url[:500], urgent=urgent,
                             dedupe_key=dedupe_key[:200], content_type=ct, object_id=oid, created_at=now)
            if dedupe_key:
                try:
                    with transaction.atomic():
                        n.save()
                except IntegrityError:  # a concurrent notify() wrote it a moment ago
                    continue
            else:
                n.save()
            created.append(n)
        queue_deliveries(created, now)
    return created


def channels_for(user, prefs: dict[int, Preference], enabled: list[Channel]) -> list[Channel]:
    pref = prefs.get(user.pk)
    if pref is None:
        return [c for c in enabled if c.default_on]
    chosen = {c.pk for c in pref.channels.all()}
    return [c for c in enabled if c.pk in chosen]


def quiet_hours(channel: Channel, pref: Preference | None) -> tuple[dt.time, dt.time]:
    if pref is not None and pref.quiet_start is not None and pref.quiet_end is not None:
        return pref.quiet_start, pref.quiet_end
    return channel.quiet_start, channel.quiet_end


def queue_deliveries(notifications: list[Notification], now: dt.datetime) -> list[Delivery]:
    if not notifications:
        return []
    enabled = list(Channel.objects.filter(enabled=True))
    if not enabled:
        return []
    user_ids = {n.user_id for n in notifications}
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids).prefetch_related("channels")}
    rows = []
    for n in notifications:
        for channel in channels_for(n.user, prefs, enabled):
            if not channel.accepts(n.kind):
                continue
            if channel.kind == Channel.Kind.EMAIL and not n.user.email:
                continue
            at, reason = (now, "") if n.urgent else next_allowed(now, *quiet_hours(channel, prefs.get(n.user_id)),
                                                               working_days_only=channel.working_days_only)
            rows.append(Delivery(notification=n, channel=channel, next_attempt_at=at, postponed_reason=reason,
                                 created_at=now))
    return Delivery.objects.bulk_create(rows)


# ------------------------------------------------------------------------------------------ quiet hours
def in_quiet(t: dt.time, start: dt.time, end: dt.time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end  # across midnight, e.g. 22:00–07:30


def next_allowed(moment: dt.datetime, quiet_start: dt.time, quiet_end: dt.time, *,
                 working_days_only: bool = True) -> tuple[dt.datetime, str]:
    """The first moment at or after ``moment`` outside the quiet hours and (if asked) on a working
    day, with the reason for any postponement ("" when ``moment`` itself is allowed)."""
    from jidu.worktime.services import holiday_name

    local = timezone.localtime(moment)
    day_start = quiet_end if quiet_start != quiet_end else dt.time.min
    reason = ""
    for _ in range(400):
        day = local.date()
        if working_days_only and not working_day(day):
            name = holiday_name(day)
            reason = reason or (f"节假日（{name}）" if name else "非工作日")
            local = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), day_start))
            continue
        if in_quiet(local.time(), quiet_start, quiet_end):
            reason = reason or f"免打扰时段（{quiet_start:%H:%M}–{quiet_end:%H:%M}）"
            target_day = day + dt.timedelta(days=1) if (quiet_start > quiet_end and local.time() >= quiet_start) else day
            local = timezone.make_aware(dt.datetime.combine(target_day, quiet_end))
            continue
        break
    return (moment if not reason else local), reason


# ------------------------------------------------------------------------------------------ delivery
def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.JIDU_BASE_URL.rstrip("/") + "/" + url.lstrip("/")


def webhook_payload(delivery: Delivery) -> bytes:
    n, user = delivery.notification, delivery.notification.user
    data = {
        "delivery": str(delivery.uid), "notification": n.pk, "kind": n.kind, "title": n.title, "body": n.body,
        "url": absolute(n.url), "urgent": n.urgent, "created_at": n.created_at.isoformat(),
        "recipient": {"username": user.get_username(), "name": str(user),
                      "department": str(user.department) if user.department_id else ""},
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new((secret or "").encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (documented in docs/JOBS.md): recompute and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header or "")


def send_webhook(delivery: Delivery) -> None:
    channel = delivery.channel
    if not channel.url:
        raise ValueError("Webhook 渠道未填写地址")
    body = webhook_payload(delivery)
    request = urllib.request.Request(channel.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "jidu-notifications/1",
        SIGNATURE_HEADER: sign(channel.secret, body), DELIVERY_HEADER: str(delivery.uid),
        "X-Jidu-Event": delivery.notification.kind,
    })
    try:
        with urllib.request.urlopen(request, timeout=channel.timeout_seconds) as response:  # noqa: S310 (admin-set URL)
            response.read(1024)
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"Webhook 返回 HTTP {exc.code}") from None


def send_email(delivery: Delivery) -> None:
    n = delivery.notification
    if not n.user.email:
        raise ValueError("接收人没有电子邮箱")
    link = absolute(n.url)
    text = "\n\n".join(p for p in (n.body, f"查看：{link}" if link else "") if p)
    EmailMessage(subject=f"【即督快响】{'【紧急】' if n.urgent else ''}{n.title}", body=text or n.title,
                 to=[n.user.email], headers={DELIVERY_HEADER: str(delivery.uid)}).send()


SENDERS = {Channel.Kind.EMAIL: send_email, Channel.Kind.WEBHOOK: send_webhook}


def _record_sent(delivery: Delivery, now: dt.datetime) -> None:
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.PENDING).update(
        state=Delivery.State.SENT, sent_at=now, attempts=F("attempts") + 1, next_attempt_at=None, last_error="")


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** max(0, attempts - 1)), MAX_BACKOFF)


def deliver_one(delivery: Delivery, token: dt.datetime, now: dt.datetime) -> str:
    """Send one claimed delivery (``token``: the lease end written by the claim)."""
    mine = Delivery.objects.filter(pk=delivery.pk, next_attempt_at=token, state=Delivery.State.PENDING)
    n, channel = delivery.notification, delivery.channel
    if not channel.enabled or not channel.accepts(n.kind):
        mine.update(state=Delivery.State.CANCELLED, next_attempt_at=None, last_error="渠道已停用或不再订阅此类别")
        return "cancelled"
    if not n.urgent:
        pref = Preference.objects.filter(user_id=n.user_id).first()
        at, reason = next_allowed(now, *quiet_hours(channel, pref), working_days_only=channel.working_days_only)
        if at > now:
            mine.update(next_attempt_at=at, postponed_reason=reason)
            return "postponed"
    try:
        SENDERS[channel.kind](delivery)
    except Exception as exc:  # recorded; retried with back-off until max_attempts
        attempts = delivery.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:1000]
        log.warning("消息投递失败（%s，第%s次）：%s", delivery.uid, attempts, error)
        if attempts >= channel.max_attempts:
            mine.update(state=Delivery.State.FAILED, attempts=attempts, next_attempt_at=None, last_error=error)
            return "failed"
        mine.update(attempts=attempts, next_attempt_at=now + backoff(attempts), last_error=error)
        return "retry"
    _record_sent(delivery, now)
    return "sent"


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> str:
    """The periodic delivery job: claim each due delivery and send it. Returns a summary."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0, "postponed": 0, "cancelled": 0}
    due = Delivery.objects.filter(state=Delivery.State.PENDING).select_related(
        "notification__user__department", "channel")
    for delivery in claims.claim_due(due, field="next_attempt_at", now=now, lease=LEASE, limit=limit):
        delivery = due.get(pk=delivery.pk)
        counts[deliver_one(delivery, delivery.next_attempt_at, now)] += 1
    return (f"发送 {counts['sent']} 条，待重试 {counts['retry']} 条，失败 {counts['failed']} 条，"
            f"推迟 {counts['postponed']} 条，取消 {counts['cancelled']} 条")


# ------------------------------------------------------------------------------------------ inbox
def inbox(user):
    """The user's own rows — never anyone else's, whatever the role (a supervisor's city-wide
    scope covers work data, not colleagues' inboxes)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count() if user.is_authenticated else 0


def mark_read(user, ids=None) -> int:
    qs = inbox(user).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
