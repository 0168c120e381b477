"""协查督办: propose directives from data rules, run their lifecycle (issue / dismiss / reply /
accept / return), send reminders (催办) once per slot and escalate unanswered directives.

Entry points for jobs: ``propose_due()`` (the periodic proposer) and ``send_reminders()`` (the
reminder and escalation scanner); both take no arguments and return a short summary. The intake
signal receiver calls ``propose_for_orders(ids)`` for the event triggers (callback, reopen, repeat).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from jidu.core import audit
from jidu.core.files import check_upload
from jidu.directives.models import (
    TIME_TRIGGERS, Directive, DirectiveEvent, DirectiveReminder, DirectiveReply, DirectiveRule, DirectiveSetting,
    Kind, Trigger,
)
from jidu.jobs.claims import claim_due
from jidu.orders.models import OPEN_STATUSES, OrderEvent, Resolution, Satisfaction, Status, WorkOrder
from jidu.worktime import services as worktime

log = logging.getLogger(__name__)
ACTOR = "协查督办"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".jpg", ".jpeg", ".png", ".txt",
                      ".zip", ".rar"}
RULE_LEASE = dt.timedelta(minutes=10)
REMINDER_LEASE = dt.timedelta(minutes=5)
RULE_LIMIT = 2000  # proposals per rule per pass; the rest come on the next pass
# Labels intake writes on the order timeline (jidu/intake/fields.py).
STATUS_FIELD, SATISFACTION_FIELD, RESOLUTION_FIELD = "工单状态", "回访-满意度", "回访-解决情况"


class DirectiveError(Exception):
    """A refusal with a message for the user (Chinese)."""


# ------------------------------------------------------------------------------------------ helpers
def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def link(directive) -> str:
    return reverse("directives:detail", args=[directive.pk])


def _note(order_id: int, text: str, *, by=None, at=None) -> None:
    now = timezone.now()
    OrderEvent.objects.create(order_id=order_id, kind=OrderEvent.Kind.NOTE, note=text[:2000], actor=by,
                              actor_label="" if by else ACTOR, at=at or now, recorded_at=now)


def _record(d: Directive, action: str, *, by=None, before: str = "", after: str = "", note: str = "",
            at=None, order_note: str = "", timeline: bool = True) -> None:
    """One step of the directive: its own history, a note on each order's timeline, the audit log.
    Proposals and their dismissal stay off the order's timeline (``timeline=False``): departments
    read that timeline, and a proposal is the supervisors' internal worklist until it is issued."""
    at = at or timezone.now()
    DirectiveEvent.objects.create(directive=d, at=at, actor=by, action=action, from_state=before, to_state=after,
                                  note=note[:2000])
    text = order_note or f"{d.get_kind_display()}#{d.pk}（{d.level}级）{DirectiveEvent.Action(action).label}" + (
        f"：{note}" if note else "")
    for order_id in _order_ids(d) if timeline else ():
        _note(order_id, text, by=by, at=at)
    audit.record(audit.AuditLog.Action.CHANGE, user=by, actor="" if by else ACTOR, obj=d,
                 event=f"directive_{action}", order=d.order.order_no, kind=d.kind, level=d.level,
                 state=after or d.state, note=note[:300])


def _order_ids(d: Directive) -> list[int]:
    ids = [d.order_id]
    if d.pk:
        ids += [pk for pk in d.orders.values_list("pk", flat=True) if pk != d.order_id]
    return ids


def _notify(recipients, *, kind: str, title: str, body: str = "", d: Directive, urgent: bool = False,
            dedupe_key: str = "") -> None:
    from jidu.notifications.services import notify

    recipients = [r for r in recipients if r]
    if recipients:
        notify(recipients, kind=kind, title=title[:200], body=body, url=link(d), urgent=urgent,
               dedupe_key=dedupe_key, obj=d)


def _supervisor_of(d: Directive):
    return d.issued_by if d.issued_by_id and d.issued_by.is_active else "supervisor"


def working_day_before(day: dt.date, n: int) -> dt.date:
    """The n-th working day before ``day`` (n >= 1), holidays and make-up workdays counted."""
    counted = 0
    while counted < n:
        day -= dt.timedelta(days=1)
        if worktime.is_working_day(day):
            counted += 1
    return day


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _transition(d: Directive, allowed: list[str], new: str, **values) -> None:
    """Move the directive to ``new`` with a conditional UPDATE: only from an allowed state, so two
    people acting at once cannot both win. A refused move names the current state."""
    if not Directive.objects.filter(pk=d.pk, state__in=allowed).update(state=new, **values):
        current = Directive.objects.get(pk=d.pk)
        wanted = ", ".join(f"“{Directive.State(s).label}”" for s in allowed)
        raise DirectiveError(f"该督办当前状态为“{current.get_state_display()}”，只有{wanted}状态才能执行此操作。"
                             "请刷新页面查看最新状态。")
    for key, value in values.items():
        setattr(d, key, value)
    d.state = new


# ------------------------------------------------------------------------------------------ proposing
def _facts(order: WorkOrder) -> list[list[str]]:
    facts = [["工单编号", order.order_no], ["标题", order.title or order.content[:40]],
             ["主办单位", str(order.lead_department or "未派单")], ["工单状态", order.get_status_display()],
             ["受理时间", _fmt(order.received_at)], ["办理时限", _fmt(order.due_at) or "未计算"]]
    screening = getattr(order, "screening", None) if hasattr(order, "screening") else None
    if screening is not None and screening.summary:
        facts.append(["筛查结论", screening.summary])
    return facts


def _base(rule: DirectiveRule, qs: QuerySet) -> QuerySet:
    qs = qs.filter(lead_department__isnull=False)
    if rule.param("enforcement_only"):
        qs = qs.filter(screening__enforcement=True)
    if rule.param("order_types"):
        qs = qs.filter(order_type__in=list(rule.param("order_types")))
    return qs.exclude(Exists(Directive.objects.filter(order_id=OuterRef("pk"), rule=rule)))


def _lookback(rule: DirectiveRule, now: dt.datetime, default: int = 30) -> dt.datetime:
    return now - dt.timedelta(days=int(rule.param("lookback_days", default) or default))


def _working_days_left(now: dt.datetime, due: dt.datetime) -> int:
    return max(0, worktime.working_days_between(timezone.localtime(now).date(), timezone.localtime(due).date()))


def candidates(rule: DirectiveRule, now: dt.datetime, qs: QuerySet | None = None):
    """Yield (order, reason, evidence, all_orders) for the orders that meet the rule and have no
    directive from it yet."""
    qs = _base(rule, qs if qs is not None else WorkOrder.objects.all()).select_related("lead_department")
    trigger = rule.trigger
    if trigger == Trigger.DUE_SOON:
        n = max(1, int(rule.param("working_days", 1) or 1))
        # Warn on the n-th working day before the deadline's day: the orders due by the end of
        # the n-th working day after today (a deadline on a holiday counts back to the working day).
        limit = worktime.add_working_days(now, n)
        due = qs.filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=limit)
        for o in due.order_by("due_at")[:RULE_LIMIT]:
            left = _working_days_left(now, o.due_at)
            when = f"剩余{left}个工作日" if left else "今日到期"
            reason = f"工单将于{_fmt(o.due_at)}到期（{when}），目前仍为“{o.get_status_display()}”，尚未办结"
            yield o, reason, _facts(o), [o]
    elif trigger == Trigger.OVERDUE:
        since = _lookback(rule, now)
        for o in qs.filter(status__in=OPEN_STATUSES, due_at__lt=now, due_at__gte=since).order_by("due_at")[:RULE_LIMIT]:
            late = now - o.due_at
            span = (f"{late.days}天" if late.days else "") + f"{late.seconds // 3600}小时"
            reason = f"工单已于{_fmt(o.due_at)}超过办理时限（已超期{span}），目前仍为“{o.get_status_display()}”"
            yield o, reason, _facts(o), [o]
    elif trigger == Trigger.UNSATISFIED:
        sat = list(rule.param("satisfaction", [Satisfaction.UNSATISFIED]) or [])
        res = list(rule.param("resolution", [Resolution.UNRESOLVED]) or [])
        sat_labels = [Satisfaction(v).label for v in sat if v in Satisfaction.values]
        res_labels = [Resolution(v).label for v in res if v in Resolution.values]
        events = OrderEvent.objects.filter(order_id=OuterRef("pk"))
        cond = (Q(callback_satisfaction__in=sat) | Q(callback_resolution__in=res)
                | Q(Exists(events.filter(field=SATISFACTION_FIELD, new_value__in=sat_labels)))
                | Q(Exists(events.filter(field=RESOLUTION_FIELD, new_value__in=res_labels))))
        for o in qs.filter(cond, updated_at__gte=_lookback(rule, now)).order_by("pk")[:RULE_LIMIT]:
            if o.callback_satisfaction in sat or o.callback_resolution in res:
                result = f"{o.get_callback_resolution_display() or '—'}、{o.get_callback_satisfaction_display() or '—'}"
                reason = f"回访结果为“{result}”（{_fmt(o.callback_at)}）"
            else:
                seen = o.events.filter(Q(field=SATISFACTION_FIELD, new_value__in=sat_labels)
                                       | Q(field=RESOLUTION_FIELD, new_value__in=res_labels)).order_by("at").first()
                reason = f"回访曾评价为“{seen.new_value}”（{_fmt(seen.at)}）" if seen else "回访不满意"
            facts = _facts(o) + [["回访", reason]]
            yield o, reason + "，群众诉求未得到满意解决", facts, [o]
    elif trigger == Trigger.REOPENED:
        reopen_events = OrderEvent.objects.filter(order_id=OuterRef("pk"), field=STATUS_FIELD,
                                                  new_value=Status.REOPENED.label)
        cond = Q(status=Status.REOPENED) | Q(Exists(reopen_events))
        for o in qs.filter(cond, updated_at__gte=_lookback(rule, now)).order_by("pk")[:RULE_LIMIT]:
            times = max(1, o.events.filter(field=STATUS_FIELD, new_value=Status.REOPENED.label).count())
            reason = f"工单经回访后重办（共{times}次），目前为“{o.get_status_display()}”"
            yield o, reason, _facts(o) + [["重办次数", str(times)]], [o]
    elif trigger == Trigger.REPEAT:
        window = dt.timedelta(days=int(rule.param("window_days", 30) or 30))
        least = max(2, int(rule.param("min_orders", 3) or 3))
        recent = WorkOrder.objects.filter(received_at__gte=now - window, received_at__lte=now,
                                          lead_department__isnull=False).exclude(caller_phone_index="")
        groups = list(recent.values("caller_phone_index", "lead_department").annotate(n=Count("pk"))
                      .filter(n__gte=least).order_by()[:RULE_LIMIT])
        if not groups:
            return
        wanted = Q()
        for g in groups:
            wanted |= Q(caller_phone_index=g["caller_phone_index"], lead_department_id=g["lead_department"])
        seen_groups = set()
        for o in qs.filter(wanted, received_at__gte=now - window, received_at__lte=now).order_by("-received_at"):
            key = (o.caller_phone_index, o.lead_department_id)
            if key in seen_groups:
                continue
            seen_groups.add(key)
            cluster = list(recent.filter(caller_phone_index=o.caller_phone_index,
                                         lead_department_id=o.lead_department_id).order_by("received_at"))
            if len(cluster) < least or Directive.objects.filter(rule=rule).filter(
                    Q(order__in=cluster) | Q(orders__in=cluster)).exists():
                continue
            nos = "、".join(c.order_no for c in cluster)
            reason = (f"同一来电人{window.days}天内向{o.lead_department}反映{len(cluster)}次（工单 {nos}），"
                      f"诉求仍未解决")
            yield o, reason, _facts(o) + [["同一来电人工单", nos]], cluster
    else:  # an unknown trigger in the data: nothing, and say so in the log
        log.warning("督办规则 %s 的触发条件“%s”未实现", rule.code, trigger)


def create_proposal(rule: DirectiveRule, order: WorkOrder, *, reason: str, evidence, orders=(),
                    now: dt.datetime | None = None) -> Directive | None:
    """Propose a directive for (order, rule) unless one exists (the unique constraint decides when
    two scanners race). Returns None when it already existed."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            d = Directive.objects.create(
                kind=rule.kind, level=rule.level, rule=rule, order=order, addressee_id=order.lead_department_id,
                reason=reason, evidence=evidence, requirement=rule.requirement, reply_limit_key=rule.reply_limit_key,
                proposed_at=now)
            d.orders.set(list(orders) or [order])
            _record(d, DirectiveEvent.Action.PROPOSED, after=Directive.State.PROPOSED, note=f"{rule.name}：{reason}",
                    at=now, timeline=False)
            # A red card supersedes a yellow one still waiting; a higher-level proposal of the same
            # kind (重办 after an unsatisfied callback) supersedes the lower one.
            weaker = Q(kind=d.kind, level__lt=d.level) | (Q(kind=Kind.YELLOW) if d.kind == Kind.RED else Q(pk=None))
            for old in Directive.objects.filter(weaker, order=order, state=Directive.State.PROPOSED).exclude(pk=d.pk):
                _dismiss(old, by=None, reason=f"已由{d.get_kind_display()}#{d.pk}（{d.level}级）建议取代", at=now)
    except IntegrityError:
        return None
    return d


def propose_manually(order: WorkOrder, *, by, kind: str, reason: str, level: int = 1) -> Directive:
    """A supervisor starts a directive from the order page (no rule): a proposal they then issue."""
    _check(by, "directives.issue_directive", "您没有发起督办的权限")
    if kind not in Kind.values:
        raise DirectiveError("请选择督办类型")
    if not (reason or "").strip():
        raise DirectiveError("请填写督办事由")
    if order.lead_department_id is None:
        raise DirectiveError("该工单尚未派单（没有主办单位），无法督办")
    if not 1 <= int(level) <= 3:
        raise DirectiveError("督办级别须为1–3级")
    key = {Kind.YELLOW: "directive.reply.yellow", Kind.RED: "directive.reply.red"}.get(kind, "directive.reply")
    now = timezone.now()
    with transaction.atomic():
        d = Directive.objects.create(kind=kind, level=int(level), order=order, addressee_id=order.lead_department_id,
                                     reason=reason.strip()[:2000], evidence=_facts(order), proposed_at=now,
                                     proposed_by=by, reply_limit_key=key)
        d.orders.set([order])
        _record(d, DirectiveEvent.Action.PROPOSED, by=by, after=Directive.State.PROPOSED,
                note=f"人工发起：{reason.strip()}", at=now, timeline=False)
    return d


def propose_for_rule(rule: DirectiveRule, now: dt.datetime | None = None, order_ids=None) -> int:
    now = now or timezone.now()
    qs = WorkOrder.objects.filter(pk__in=list(order_ids)) if order_ids is not None else None
    created = 0
    for order, reason, evidence, orders in candidates(rule, now, qs):
        if create_proposal(rule, order, reason=reason, evidence=evidence, orders=orders, now=now):
            created += 1
    return created


def withdraw_stale(now: dt.datetime | None = None) -> int:
    """Proposals from the deadline rules whose order has meanwhile been finished are withdrawn."""
    now = now or timezone.now()
    stale = Directive.objects.filter(state=Directive.State.PROPOSED, rule__trigger__in=TIME_TRIGGERS).exclude(
        order__status__in=OPEN_STATUSES).select_related("order")
    count = 0
    for d in stale[:RULE_LIMIT]:
        try:
            _dismiss(d, by=None, reason=f"工单已“{d.order.get_status_display()}”，督办建议自动撤销", at=now)
            count += 1
        except DirectiveError:
            pass
    return count


def propose_due(now: dt.datetime | None = None) -> str:
    """The periodic proposer: every active rule is claimed (jidu.jobs.claims) by one worker at a
    time and scanned; re-running never duplicates (one directive per order and rule)."""
    now = now or timezone.now()
    parts, total, errors = [], 0, []
    rules = DirectiveRule.objects.filter(active=True)
    for rule in claim_due(rules, field="next_scan_at", now=now, lease=RULE_LEASE):
        try:
            n = propose_for_rule(rule, now)
            total += n
            if n:
                parts.append(f"{rule.name} {n}")
        except (worktime.CalendarYearMissing, worktime.TimeLimitMissing) as exc:
            errors.append(f"{rule.name}：{exc}")
            log.warning("督办规则 %s 未能扫描：%s", rule.code, exc)
        except (TypeError, ValueError) as exc:  # parameters edited into something unusable
            errors.append(f"{rule.name}：参数有误（{exc}）")
            log.exception("督办规则 %s 的参数有误", rule.code)
        finally:
            DirectiveRule.objects.filter(pk=rule.pk).update(next_scan_at=now)
    withdrawn = withdraw_stale(now)
    text = f"新增督办建议 {total} 条" + (f"（{'；'.join(parts)}）" if parts else "")
    if withdrawn:
        text += f"，自动撤销 {withdrawn} 条"
    if errors:
        text += "；错误：" + "；".join(errors)
    return text


def propose_for_orders(order_ids, now: dt.datetime | None = None) -> int:
    """The event triggers (callback, reopen, repeat) for orders that just arrived or changed."""
    ids = list(order_ids)
    if not ids:
        return 0
    total = 0
    for rule in DirectiveRule.objects.filter(active=True).exclude(trigger__in=TIME_TRIGGERS):
        total += propose_for_rule(rule, now, order_ids=ids)
    return total


# ------------------------------------------------------------------------------------------ lifecycle
def _check(user, perm: str, message: str) -> None:
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(message)


def _document(d: Directive, by) -> None:
    """Issue the official document the rule asks for (督办单 / 提醒函) through the documents contract."""
    doc_type = d.rule.document_type if d.rule_id else ("reminder" if d.kind == Kind.YELLOW else "duban")
    if not doc_type:
        return
    from jidu.documents.services import issue_document
    from jidu.orders.services import display_content

    order = d.order
    orders = [order, *[o for o in d.orders.exclude(pk=order.pk).order_by("received_at")]]
    what = d.rule.get_trigger_display() if d.rule_id else d.get_kind_display()
    subject = f"12345热线工单{order.order_no}（{order.title or display_content(order)[:20]}）{what}"
    context = {
        "case": {"subject": subject, "summary": d.reason.rstrip("。") + "。"},
        "order": {"order_no": order.order_no, "title": order.title, "content": display_content(order),
                  "received_at": order.received_at},
        "orders": [{"order_no": o.order_no, "title": o.title} for o in orders],
        "deadline": timezone.localtime(d.reply_due).date() if d.reply_due else None,
        "extra": "\n".join(p for p in (f"督办要求：{d.requirement}" if d.requirement else "",
                                       f"督办级别：{d.level}级（{d.get_kind_display()}）") if p),
        "directive": {"kind": d.get_kind_display(), "level": d.level, "reason": d.reason,
                      "evidence": [list(x) for x in (d.evidence or [])], "requirement": d.requirement},
    }
    doc = issue_document(doc_type, context=context, issued_by=by, addressee=d.addressee, obj=d)
    Directive.objects.filter(pk=d.pk).update(document_number=doc.number or "", document_id=doc.pk)
    d.document_number, d.document_id = doc.number or "", doc.pk


def issue(d: Directive, *, by, requirement: str | None = None, addressee=None) -> Directive:
    """签发: the supervisor sends the proposal to the department with a reply deadline; the
    document is numbered and generated in the same transaction (no gap if anything fails)."""
    _check(by, "directives.issue_directive", "您没有签发督办的权限")
    addressee = addressee or d.addressee or d.order.lead_department
    if addressee is None:
        raise DirectiveError("请选择督办对象（承办部门）")
    now = timezone.now()
    try:
        reply_due = worktime.deadline(now, d.reply_limit_key or "directive.reply")
    except (worktime.CalendarYearMissing, worktime.TimeLimitMissing) as exc:
        raise DirectiveError(str(exc)) from None
    with transaction.atomic():
        _transition(d, [Directive.State.PROPOSED], Directive.State.ISSUED, issued_at=now, issued_by=by,
                    addressee=addressee, reply_due=reply_due, cycle_started_at=now,
                    requirement=(requirement if requirement is not None else d.requirement)[:4000])
        d.refresh_from_db()
        _document(d, by)
        _schedule(d, now)
        doc = f"，文号 {d.document_number}" if d.document_number else ""
        _record(d, DirectiveEvent.Action.ISSUED, by=by, before=Directive.State.PROPOSED, after=d.state,
                note=f"督办{addressee}，请于{_fmt(reply_due)}前回复{doc}", at=now)
        _notify([addressee], kind="directive_issued", d=d, urgent=d.kind == Kind.RED,
                title=f"{d.get_kind_display()}：工单 {d.order.order_no}，请于{_fmt(reply_due)}前回复",
                body=f"{d.reason}\n督办要求：{d.requirement}", dedupe_key=f"directive:{d.pk}:issued")
    return d


def _dismiss(d: Directive, *, by, reason: str, at=None) -> Directive:
    at = at or timezone.now()
    _transition(d, [Directive.State.PROPOSED], Directive.State.DISMISSED, dismissed_reason=reason[:2000],
                closed_at=at, closed_by=by)
    _record(d, DirectiveEvent.Action.DISMISSED, by=by, before=Directive.State.PROPOSED, after=d.state,
            note=reason, at=at, timeline=False)
    return d


def dismiss(d: Directive, *, by, reason: str) -> Directive:
    """不予督办, with the reason."""
    _check(by, "directives.issue_directive", "您没有处理督办建议的权限")
    if not (reason or "").strip():
        raise DirectiveError("请填写不予督办的理由")
    with transaction.atomic():
        return _dismiss(d, by=by, reason=reason.strip())


def reply(d: Directive, *, by, text: str, attachment=None) -> DirectiveReply:
    """The addressed department answers (with an optional attachment)."""
    _check(by, "directives.reply_directive", "您没有回复督办的权限")
    if getattr(by, "department_id", None) != d.addressee_id:
        raise PermissionDenied("只能由被督办部门的承办人回复")
    if not (text or "").strip():
        raise DirectiveError("请填写回复内容")
    if attachment is not None:
        check_upload(attachment, error=DirectiveError, max_bytes=MAX_UPLOAD_BYTES, extensions=ALLOWED_EXTENSIONS)
    now = timezone.now()
    with transaction.atomic():
        _transition(d, [Directive.State.ISSUED], Directive.State.REPLIED, replied_at=now, next_check_at=None)
        r = DirectiveReply.objects.create(directive=d, text=text.strip(), by=by, department_id=by.department_id,
                                          at=now, attachment=attachment or "",
                                          attachment_name=(attachment.name[:200] if attachment else ""))
        late = "（逾期回复）" if d.reply_due and now > d.reply_due else ""
        _record(d, DirectiveEvent.Action.REPLIED, by=by, before=Directive.State.ISSUED, after=d.state,
                note=f"{by.department}回复{late}：{text.strip()[:200]}", at=now)
        _notify([_supervisor_of(d)], kind="directive_replied", d=d,
                title=f"{d.get_kind_display()}已回复：工单 {d.order.order_no}（{by.department}）",
                body=text.strip()[:500], dedupe_key=f"directive:{d.pk}:reply:{r.pk}")
    return r


def accept(d: Directive, *, by, note: str = "") -> Directive:
    """The supervisor accepts the reply: the directive is closed."""
    _check(by, "directives.review_directive", "您没有审核督办回复的权限")
    now = timezone.now()
    with transaction.atomic():
        _transition(d, [Directive.State.REPLIED], Directive.State.ACCEPTED, closed_at=now, closed_by=by)
        d.replies.filter(decision="").update(decision=DirectiveReply.Decision.ACCEPTED, review_note=note[:2000],
                                             reviewed_by=by, reviewed_at=now)
        _record(d, DirectiveEvent.Action.ACCEPTED, by=by, before=Directive.State.REPLIED, after=d.state,
                note=note or "回复已认可，督办办结", at=now)
        _notify([d.addressee], kind="directive_accepted", d=d,
                title=f"{d.get_kind_display()}办结：工单 {d.order.order_no} 的回复已认可",
                body=note, dedupe_key=f"directive:{d.pk}:accepted")
    return d


def return_reply(d: Directive, *, by, note: str) -> Directive:
    """The supervisor returns the reply: the directive is issued again with a new reply deadline."""
    _check(by, "directives.review_directive", "您没有审核督办回复的权限")
    if not (note or "").strip():
        raise DirectiveError("请填写退回理由")
    now = timezone.now()
    try:
        reply_due = worktime.deadline(now, d.reply_limit_key or "directive.reply")
    except (worktime.CalendarYearMissing, worktime.TimeLimitMissing) as exc:
        raise DirectiveError(str(exc)) from None
    with transaction.atomic():
        _transition(d, [Directive.State.REPLIED], Directive.State.ISSUED, reply_due=reply_due, cycle_started_at=now,
                    returns=d.returns + 1, replied_at=None)
        d.replies.filter(decision="").update(decision=DirectiveReply.Decision.RETURNED, review_note=note[:2000],
                                             reviewed_by=by, reviewed_at=now)
        _schedule(d, now)
        _record(d, DirectiveEvent.Action.RETURNED, by=by, before=Directive.State.REPLIED, after=d.state,
                note=f"{note.strip()}；请于{_fmt(reply_due)}前重新回复", at=now)
        _notify([d.addressee], kind="directive_returned", d=d,
                title=f"{d.get_kind_display()}回复被退回：工单 {d.order.order_no}，请于{_fmt(reply_due)}前重新回复",
                body=note, dedupe_key=f"directive:{d.pk}:returned:{d.returns}")
    return d


# ------------------------------------------------------------------------------------------ reminders
def _slots(d: Directive, setting: DirectiveSetting) -> list[tuple[str, dt.datetime]]:
    """This cycle's reminder points: before the reply deadline, at it, and the escalation."""
    prefix = f"L{d.level}R{d.returns}"
    slots = []
    n = setting.remind_before_working_days
    if n:
        when = _start_of(working_day_before(timezone.localtime(d.reply_due).date(), n))
        if d.cycle_started_at is None or when > d.cycle_started_at:
            slots.append((f"{prefix}-before", when))
    slots.append((f"{prefix}-overdue", d.reply_due))
    slots.append((f"{prefix}-escalate", worktime.add_working_days(d.reply_due, setting.escalate_after_working_days)))
    return slots


def _next_check(d: Directive, setting: DirectiveSetting, now: dt.datetime) -> dt.datetime | None:
    if d.state != Directive.State.ISSUED or d.reply_due is None:
        return None
    sent = set(d.reminders.values_list("slot", flat=True))
    pending = [when for name, when in _slots(d, setting) if name not in sent
               and not (name.endswith("-before") and now >= d.reply_due)]
    return min(pending) if pending else None


def _schedule(d: Directive, now: dt.datetime) -> None:
    d.next_check_at = _next_check(d, DirectiveSetting.current(), now)
    Directive.objects.filter(pk=d.pk).update(next_check_at=d.next_check_at)


def _claim_slot(d: Directive, slot: str, note: str, send) -> bool:
    """Insert the reminder row first (unique per directive and slot), then send, in one
    transaction: a second worker's insert fails and it sends nothing."""
    try:
        with transaction.atomic():
            DirectiveReminder.objects.create(directive=d, slot=slot, note=note[:300])
            send()
        return True
    except IntegrityError:
        return False


def _escalate(d: Directive, slot: str, setting: DirectiveSetting, now: dt.datetime) -> bool:
    new_level = d.level + 1
    reply_due = worktime.deadline(now, d.reply_limit_key or "directive.reply")
    copy = list(setting.copy_roles or [])

    def send():
        if not Directive.objects.filter(pk=d.pk, state=Directive.State.ISSUED, level=d.level).update(
                level=new_level, reply_due=reply_due, cycle_started_at=now, escalated_at=now):
            raise IntegrityError("state changed")  # replied meanwhile: roll the slot back
        old_due = d.reply_due
        d.level, d.reply_due, d.cycle_started_at, d.escalated_at = new_level, reply_due, now, now
        note = (f"超过回复时限（{_fmt(old_due)}）未回复，升级为{new_level}级督办，抄送"
                f"{'、'.join(_role_label(r) for r in copy) or '—'}；请于{_fmt(reply_due)}前回复")
        _record(d, DirectiveEvent.Action.ESCALATED, before=d.state, after=d.state, note=note, at=now)
        _notify([d.addressee, _supervisor_of(d), *copy], kind="directive_escalated", d=d,
                urgent=new_level >= setting.urgent_from_level,
                title=f"{d.get_kind_display()}升级为{new_level}级：工单 {d.order.order_no}（{d.addressee}）逾期未回复",
                body=note, dedupe_key=f"directive:{d.pk}:{slot}")

    return _claim_slot(d, slot, f"升级为{new_level}级", send)


def _role_label(code: str) -> str:
    from jidu.org.models import User

    return dict(User.Role.choices).get(code, code)


def _remind(d: Directive, slot: str, setting: DirectiveSetting, now: dt.datetime) -> bool:
    kind = slot.rsplit("-", 1)[1]
    if kind == "before":
        left = d.reply_due - now
        text = (f"催办：{d.get_kind_display()}#{d.pk}（工单 {d.order.order_no}）将于{_fmt(d.reply_due)}到回复时限，"
                f"请及时回复（剩余约{int(left.total_seconds() // 3600)}小时）")
        recipients = [d.addressee]
    elif kind == "overdue":
        text = (f"催办：{d.get_kind_display()}#{d.pk}（工单 {d.order.order_no}）已超过回复时限"
                f"（{_fmt(d.reply_due)}），请立即回复")
        recipients = [d.addressee, _supervisor_of(d)]
    else:  # at the highest level: tell the copy roles once more, nothing higher to go to
        text = (f"{d.get_kind_display()}#{d.pk}（工单 {d.order.order_no}）已是最高级别（{d.level}级），"
                f"超过回复时限（{_fmt(d.reply_due)}）仍未回复")
        recipients = [d.addressee, _supervisor_of(d), *(setting.copy_roles or [])]

    def send():
        _record(d, DirectiveEvent.Action.REMINDED, before=d.state, after=d.state, note=text, at=now)
        _notify(recipients, kind="directive_reminder", d=d, urgent=d.level >= setting.urgent_from_level,
                title=text, dedupe_key=f"directive:{d.pk}:{slot}")

    return _claim_slot(d, slot, text, send)


def process_reminders(d: Directive, now: dt.datetime, setting: DirectiveSetting | None = None) -> dict:
    setting = setting or DirectiveSetting.current()
    counts = {"reminders": 0, "escalated": 0}
    sent = set(d.reminders.values_list("slot", flat=True))
    for slot, when in _slots(d, setting):
        if slot in sent or when > now or d.state != Directive.State.ISSUED:
            continue
        if slot.endswith("-before") and now >= d.reply_due:
            continue  # the deadline passed before anyone scanned: the overdue reminder says it
        if slot.endswith("-escalate") and d.level < setting.max_level:
            if _escalate(d, slot, setting, now):
                counts["escalated"] += 1
            break  # a new level: its own slots, from the next pass
        if _remind(d, slot, setting, now):
            counts["reminders"] += 1
    d.refresh_from_db()
    nxt = _next_check(d, setting, now)
    Directive.objects.filter(pk=d.pk, state=Directive.State.ISSUED).update(next_check_at=nxt)
    return counts


def send_reminders(now: dt.datetime | None = None) -> str:
    """The reminder scanner: issued directives whose next reminder point has come are claimed
    (jidu.jobs.claims), reminded once per slot (催办) and escalated when still unanswered."""
    now = now or timezone.now()
    setting = DirectiveSetting.current()
    totals = {"reminders": 0, "escalated": 0}
    errors = []
    qs = Directive.objects.filter(state=Directive.State.ISSUED)
    for d in claim_due(qs, field="next_check_at", now=now, lease=REMINDER_LEASE):
        try:
            for key, value in process_reminders(d, now, setting).items():
                totals[key] += value
        except (worktime.CalendarYearMissing, worktime.TimeLimitMissing) as exc:
            errors.append(f"督办#{d.pk}：{exc}")
            log.warning("督办#%s 催办失败：%s", d.pk, exc)
    text = f"催办 {totals['reminders']} 次，升级 {totals['escalated']} 件"
    return text + ("；错误：" + "；".join(errors[:5]) if errors else "")


# ------------------------------------------------------------------------------------------ reading
def reply_time_left(d: Directive, now=None) -> str:
    if d.state != Directive.State.ISSUED or not d.reply_due:
        return ""
    now = now or timezone.now()
    seconds = int((d.reply_due - now).total_seconds())
    days, rem = divmod(abs(seconds), 86400)
    text = (f"{days}天" if days else "") + f"{rem // 3600}小时"
    return ("剩余" if seconds >= 0 else "已逾期") + text
