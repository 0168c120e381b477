"""Dispatch disputes (事件快响): open, claims and evidence, decide (one winner), re-dispatch,
notify, promote to a precedent or a list entry, reminders and escalation."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from jidu.core import audit
from jidu.core.files import check_uploads
from jidu.jurisdiction.models import (
    Dispute, DisputeAttachment, DisputeClaim, DisputeSetting, EntrySource, ListType, Notice, Precedent, ReminderSent,
)
from jidu.jurisdiction.services import dispatch
from jidu.orders.models import OrderEvent, Status, WorkOrder
from jidu.worktime.services import deadline

log = logging.getLogger(__name__)
ACTOR = "派单争议"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class DisputeError(Exception):
    """A refusal with a message for the user (Chinese)."""


class AlreadySettled(DisputeError):
    pass


def _link(dispute) -> str:
    return reverse("jurisdiction:dispute", args=[dispute.pk])


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def notify(text: str, *, dispute=None, link: str = "", users=(), departments=(), role: str = "") -> list[Notice]:
    link = link or (_link(dispute) if dispute else "")
    notices = [Notice(user=u, text=text[:500], link=link, dispute=dispute) for u in users]
    notices += [Notice(department=d, text=text[:500], link=link, dispute=dispute) for d in dict.fromkeys(departments)
                if d is not None]
    if role:
        notices.append(Notice(role=role, text=text[:500], link=link, dispute=dispute))
    return Notice.objects.bulk_create(notices)


def visible_notices(user):
    if not user.is_authenticated:
        return Notice.objects.none()
    q = Q(user=user) | Q(role=user.role) if user.role else Q(user=user)
    if user.department_id:
        q |= Q(department_id=user.department_id)
    return Notice.objects.filter(q)


def _note(order, text: str, by=None):
    now = timezone.now()
    OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.NOTE, note=text, actor=by,
                              actor_label="" if by else ACTOR, at=now, recorded_at=now)


# ------------------------------------------------------------------------------------------ open
def open_dispute(order: WorkOrder, *, via: str = Dispute.Via.RETURN, by=None, returning_department=None,
                 reason: str = "", files=(), opened_at: dt.datetime | None = None) -> tuple[Dispute, bool]:
    """Open a dispute for the order unless one is already open (then return it, created=False)."""
    existing = Dispute.objects.filter(order=order, state__in=Dispute.UNSETTLED).first()
    if existing:
        return existing, False
    setting = DisputeSetting.current()
    opened_at = opened_at or timezone.now()
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                order=order, via=via, opened_by=by, returning_department=returning_department,
                reason=reason or order.return_reason, opened_at=opened_at,
                due_at=deadline(opened_at, setting.time_limit_key))
            save_attachments(dispute, files, by=by)
            who = returning_department or "派单员"
            _note(order, f"派单争议开启（{dispute.get_via_display()}，{who}）：{dispute.reason or '未填写理由'}；"
                         f"裁定时限 {_fmt(dispute.due_at)}", by)
            notify(f"新的派单争议：工单 {order.order_no}（{who}），请于 {_fmt(dispute.due_at)} 前裁定",
                   dispute=dispute, role=setting.remind_role)
            audit.record(audit.AuditLog.Action.CHANGE, user=by, actor="" if by else ACTOR, obj=dispute,
                         event="open_dispute", order=order.order_no, via=via)
    except IntegrityError:  # another process opened it a moment ago
        existing = Dispute.objects.filter(order=order, state__in=Dispute.UNSETTLED).first()
        if existing is None:
            raise
        return existing, False
    return dispute, True


def open_for_returned_orders(order_ids) -> list[Dispute]:
    """Open a dispute for each order whose status is 退单申请 and whose latest return is not yet
    covered by a dispute (idempotent: re-sending the order opens nothing new). The dispute opens
    at the time of the return as the hotline recorded it, so its 24-hour clock is the real one.
    A return-dispute whose order the hotline has meanwhile moved on (改派 by itself, 办结 …) is
    closed as withdrawn with a note, so no dead dispute waits for a ruling."""
    opened = []
    ids = list(order_ids)
    unsettled_of = {d.order_id: d for d in Dispute.objects.filter(order_id__in=ids, state__in=Dispute.UNSETTLED)}
    # Only returned orders, and orders with a dispute still waiting, need a look.
    orders = WorkOrder.objects.filter(Q(status=Status.RETURN_REQUESTED) | Q(pk__in=list(unsettled_of)),
                                      pk__in=ids).select_related("lead_department")
    for order in orders:
        unsettled = unsettled_of.get(order.pk)
        if order.status != Status.RETURN_REQUESTED:
            if unsettled is not None and unsettled.via == Dispute.Via.RETURN:
                try:
                    withdraw(unsettled, by=None,
                             note=f"热线已将工单流转为“{order.get_status_display()}”，退单争议自动关闭")
                except AlreadySettled:
                    pass
            continue
        if unsettled is not None:
            continue
        returned_at = OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.STATUS,
                                                new_value=Status.RETURN_REQUESTED.label).aggregate(
            m=Max("at"))["m"] or order.source_version  # created already returned: this version
        last = Dispute.objects.filter(order=order).aggregate(m=Max("opened_at"))["m"]
        if last and last >= returned_at:
            continue  # this return was already disputed (and settled)
        dispute, created = open_dispute(order, via=Dispute.Via.RETURN, returning_department=order.lead_department,
                                        reason=order.return_reason, opened_at=min(returned_at, timezone.now()))
        if created:
            opened.append(dispute)
    return opened


def save_attachments(dispute, files, *, by=None, claim=None) -> list[DisputeAttachment]:
    files = check_uploads(files, error=DisputeError, max_bytes=MAX_UPLOAD_BYTES)
    return [DisputeAttachment.from_upload(f, by=by, dispute=dispute, claim=claim) for f in files]


def add_claim(dispute: Dispute, *, department, position: str, text: str, by=None, suggested_department=None,
              files=()) -> DisputeClaim:
    if not dispute.is_unsettled:
        raise DisputeError("该争议已结束，不能再提交意见")
    if by is not None and getattr(by, "is_handler", False) and by.department_id != department.pk:
        raise PermissionDenied("部门承办人只能以本部门名义提交意见")
    if not text.strip():
        raise DisputeError("请填写理由")
    with transaction.atomic():
        claim = DisputeClaim.objects.create(dispute=dispute, department=department, position=position, text=text,
                                            by=by, suggested_department=suggested_department)
        save_attachments(dispute, files, by=by, claim=claim)
    return claim


def can_decide(user, dispute: Dispute) -> tuple[bool, str]:
    if not user.has_perm("jurisdiction.decide_dispute"):
        return False, "您没有裁定派单争议的权限"
    if user.department_id and user.department_id in dispute.party_department_ids():
        return False, f"您所在部门（{user.department}）是本争议的当事方，不能裁定"
    return True, ""


# ------------------------------------------------------------------------------------------ decide
def decide(dispute: Dispute, *, by, lead, co=(), basis_text: str, citation: str = "", cited_entry=None,
           cited_precedent=None, note: str = "") -> Dispute:
    """Settle the dispute: one winner (conditional UPDATE on the state), then the order is
    re-dispatched, the parties notified, the timeline and the audit log written — all in one
    transaction, so a refusal leaves nothing half-written."""
    allowed, why = can_decide(by, dispute)
    if not allowed:
        raise PermissionDenied(why)
    if lead is None:
        raise DisputeError("请选择主办部门")
    if not (basis_text or "").strip():
        raise DisputeError("请填写法律依据")
    co = [d for d in dict.fromkeys(co or []) if d != lead]
    now = timezone.now()
    original = dispute
    with transaction.atomic():
        won = Dispute.objects.filter(pk=dispute.pk, state__in=Dispute.UNSETTLED).update(
            state=Dispute.State.DECIDED, decided_by=by, decided_at=now, decided_lead=lead, basis_text=basis_text,
            citation=citation or "", cited_entry=cited_entry, cited_precedent=cited_precedent,
            decision_note=note or "")
        if not won:
            current = Dispute.objects.select_related("decided_by", "decided_lead").get(pk=dispute.pk)
            if current.state == Dispute.State.DECIDED:
                raise AlreadySettled(
                    f"该争议已由{current.decided_by or '他人'}于{_fmt(current.decided_at)}裁定"
                    f"（主办：{current.decided_lead}），您的裁定未保存。请刷新页面查看裁定结果。")
            raise AlreadySettled(f"该争议已{current.get_state_display()}，您的裁定未保存。")
        dispute = Dispute.objects.select_related("order", "returning_department").get(pk=dispute.pk)
        dispute.decided_co.set(co)
        parties = [dispute.returning_department, *[c.department for c in dispute.claims.select_related("department")]]
        label = dispatch.dept_label(lead, co)
        cite = f"；引用：{citation}" if citation else ""
        dispatch.assign(dispute.order, lead, co, by=by, status=Status.REDISPATCHED,
                        note=f"派单争议#{dispute.pk}裁定：{label}；依据：{basis_text}{cite}")
        notify(f"派单争议裁定：工单 {dispute.order.order_no} 由 {label}。依据：{basis_text[:120]}",
               dispute=dispute, departments=[*parties, lead, *co])
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=dispute, event="decide_dispute",
                     order=dispute.order.order_no, lead=lead.name, co=[d.name for d in co], basis=basis_text[:300],
                     citation=citation, within_limit=now <= dispute.due_at)
    original.refresh_from_db()
    return dispute


def withdraw(dispute: Dispute, *, by, note: str = "") -> Dispute:
    with transaction.atomic():
        if not Dispute.objects.filter(pk=dispute.pk, state__in=Dispute.UNSETTLED).update(
                state=Dispute.State.WITHDRAWN, closed_note=note[:300]):
            raise AlreadySettled("该争议已结束，不能撤回")
        _note(dispute.order, f"派单争议#{dispute.pk}已撤回：{note}", by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=dispute, event="withdraw_dispute", note=note)
    dispute.refresh_from_db()
    return dispute


# ------------------------------------------------------------------------------------------ promote
def suggested_keywords(dispute: Dispute) -> list[str]:
    from jidu.jurisdiction.services.advice import advise_order

    result = advise_order(dispute.order)
    words = []
    for e in result["entries"]:
        for part in e["text"].split("命中：", 1)[-1].split("、"):
            if part and part not in words:
                words.append(part)
    return words[:8]


def promote(dispute: Dispute, *, target: str, by, matter: str = "", keywords=None, code: str = ""):
    """Turn a ruling into a precedent or a list entry (“boundary clarified”)."""
    from jidu.jurisdiction.services.lists import save_entry

    dispute = Dispute.objects.select_related("order", "decided_lead", "decided_by", "cited_entry").get(pk=dispute.pk)
    if dispute.state != Dispute.State.DECIDED:
        raise DisputeError("只有已裁定的争议才能转为先例或清单条目")
    order = dispute.order
    matter = (matter or order.title or order.content[:40]).strip()[:200]
    keywords = [k.strip() for k in (keywords or []) if k and k.strip()]
    co = list(dispute.decided_co.all())
    with transaction.atomic():
        if target == "precedent":
            if Precedent.objects.filter(dispute=dispute).exists():
                raise DisputeError("该裁定已转为先例")
            obj = Precedent.objects.create(
                matter=matter, keywords=keywords, text=" ".join(p for p in (order.title, order.content) if p)[:2000],
                lead_department=dispute.decided_lead, basis_text=dispute.basis_text, citation=dispute.citation,
                dispute=dispute, decided_at=dispute.decided_at, created_by=by)
            obj.co_departments.set(co)
            what = f"先例“{matter}”"
        elif target == "entry":
            if not keywords:
                raise DisputeError("转为清单条目需要至少一个关键词")
            code = code or f"BJ-{dispute.pk:05d}"
            from jidu.jurisdiction.models import ListEntry

            if ListEntry.objects.filter(code=code).exists():
                raise DisputeError(f"清单条目编号 {code} 已存在")
            entry = dispute.cited_entry
            obj, _ = save_entry({
                "code": code, "list_type": ListType.BOUNDARY, "matter": matter, "keywords": keywords,
                "lead_department": dispute.decided_lead, "basis_law": entry.basis_law if entry else "",
                "basis_article": entry.basis_article if entry else "", "basis_text": dispute.basis_text,
                "source": EntrySource.RULING,
                "source_detail": f"派单争议#{dispute.pk}裁定（{_fmt(dispute.decided_at)}，{dispute.decided_by}）"
                                 + (f"；引用：{dispute.citation}" if dispute.citation else ""),
                "valid_from": timezone.localdate(), "from_dispute": dispute, "_co": co,
                "_fields": list(entry.fields.all()) if entry else [],
            }, by=by, note=f"由派单争议#{dispute.pk}裁定转入")
            what = f"清单条目“{matter}”（{code}，厘清的职责边界）"
        else:
            raise DisputeError("未知的转换目标")
        _note(order, f"派单争议#{dispute.pk}裁定已转为{what}", by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=dispute, event="promote_ruling", target=target,
                     created=f"{obj._meta.label_lower}#{obj.pk}")
    return obj


# ------------------------------------------------------------------------------------------ reminders
def _claim_and_send(dispute: Dispute, point: str, send) -> bool:
    """Insert the ReminderSent row first (unique per dispute and point), then send, in one
    transaction: a second worker's insert fails and it sends nothing."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(dispute=dispute, point=point)
            send()
        return True
    except IntegrityError:
        return False


def scan(now: dt.datetime | None = None) -> dict[str, int]:
    """Send due reminders once each and escalate overdue disputes once."""
    now = now or timezone.now()
    setting = DisputeSetting.current()
    counts = {"reminders": 0, "escalated": 0}
    points = sorted({float(h) for h in setting.reminder_hours or []})
    sent = {}
    disputes = list(Dispute.objects.filter(state__in=Dispute.UNSETTLED).select_related("order"))
    for point, dispute_id in ReminderSent.objects.filter(dispute__in=disputes).values_list("point", "dispute_id"):
        sent.setdefault(dispute_id, set()).add(point)
    for dispute in disputes:
        done = sent.get(dispute.pk, set())
        for hours in points:
            point = f"{hours:g}h"
            if point in done or now < dispute.opened_at + dt.timedelta(hours=hours) or now >= dispute.due_at:
                continue
            left = dispute.due_at - now
            text = (f"派单争议提醒：工单 {dispute.order.order_no} 已开启{hours:g}小时，"
                    f"距裁定时限（{_fmt(dispute.due_at)}）还剩{int(left.total_seconds() // 3600)}小时"
                    f"{int(left.total_seconds() % 3600 // 60)}分")

            def send(dispute=dispute, text=text):
                notify(text, dispute=dispute, role=setting.remind_role)

            if _claim_and_send(dispute, point, send):
                counts["reminders"] += 1
        if setting.escalate_overdue and now >= dispute.due_at and "escalate" not in done \
                and dispute.state == Dispute.State.OPEN:
            def escalate(dispute=dispute):
                Dispute.objects.filter(pk=dispute.pk, state=Dispute.State.OPEN).update(
                    state=Dispute.State.ESCALATED, escalated_at=now)
                notify(f"派单争议超时未裁定：工单 {dispute.order.order_no}，时限 {_fmt(dispute.due_at)}，已升级",
                       dispute=dispute, role=setting.escalate_to_role)
                notify(f"派单争议超时未裁定：工单 {dispute.order.order_no}，已升级至领导", dispute=dispute,
                       role=setting.remind_role)
                _note(dispute.order, f"派单争议#{dispute.pk}超过裁定时限（{_fmt(dispute.due_at)}）未裁定，已升级")
                audit.record(audit.AuditLog.Action.CHANGE, actor=ACTOR, obj=dispute, event="escalate_dispute")

            if _claim_and_send(dispute, "escalate", escalate):
                counts["escalated"] += 1
    return counts


def time_left(dispute: Dispute, now=None) -> dict:
    now = now or timezone.now()
    seconds = int((dispute.due_at - now).total_seconds())
    total = max(1, int((dispute.due_at - dispute.opened_at).total_seconds()))
    hours, rem = divmod(abs(seconds), 3600)
    text = f"{hours}小时{rem // 60}分"
    return {"seconds": seconds, "overdue": seconds < 0, "text": ("剩余" if seconds >= 0 else "已超时") + text,
            "elapsed_pct": min(100, max(0, int(100 * (total - seconds) / total))),
            "warning": 0 <= seconds < total // 6}
