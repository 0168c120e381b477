"""Supervision cases: opening, moving through the procedure, documents, rectification, review,
result application, and the deadline scan. Every action is one transaction with the case row
locked (SELECT … FOR UPDATE), audited, and noted on the timeline of each linked order."""

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jidu.core import audit
from jidu.core.files import check_uploads
from jidu.documents.numerals import chinese_date
from jidu.documents.services import DocumentError, issue_document
from jidu.orders.models import OrderEvent
from jidu.supervision.models import CaseAttachment, CaseResult, CaseStep, Rectification, SupervisionCase
from jidu.supervision.workflow import (DOCUMENT_STATES, TIME_LIMIT_KEYS, Action, State, TransitionRefused,
                                       target)
from jidu.worktime import services as worktime

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = {".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx", ".txt", ".jpg", ".jpeg",
                      ".png", ".zip", ".rar", ".mp4"}
ACTOR_LABEL = "案件即督"
# States whose responsible party is the supervised department rather than the supervisor.
DEPARTMENT_STATES = {State.DOCUMENT_ISSUED, State.RECTIFYING}


class CaseError(Exception):
    """A refused action, with a message for the user (Chinese)."""


# ---------------------------------------------------------------- deadlines
def end_of_working_day_on_or_after(day: dt.date) -> dt.datetime:
    """A deadline typed as a date: end of that day, moved to the next working day when it is a
    holiday or weekend (raises CalendarYearMissing for a year not in the calendar)."""
    while not worktime.is_working_day(day):
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def step_due(state: str, start: dt.datetime, *, on: dt.date | None = None) -> dt.datetime | None:
    if on is not None:
        return end_of_working_day_on_or_after(on)
    key = TIME_LIMIT_KEYS.get(state)
    return worktime.deadline(start, key) if key else None


def first_alert(started_at: dt.datetime, due_at: dt.datetime | None) -> dt.datetime | None:
    """The yellow card falls at the start of the deadline's (working) day — one working day left."""
    if due_at is None:
        return None
    local = timezone.localtime(due_at)
    return max(started_at, local.replace(hour=0, minute=0, second=0, microsecond=0))


# ---------------------------------------------------------------- helpers
def check_files(files) -> list:
    return check_uploads(files, error=CaseError, max_bytes=MAX_UPLOAD_BYTES, extensions=ALLOWED_EXTENSIONS)


def save_files(case, files, *, by, step=None, rectification=None) -> list[CaseAttachment]:
    return [CaseAttachment.from_upload(f, by=by, case=case, step=step, rectification=rectification)
            for f in check_files(files)]


def timeline(case, text: str, *, by=None) -> None:
    now = timezone.now()
    OrderEvent.objects.bulk_create([
        OrderEvent(order_id=order_id, at=now, recorded_at=now, actor=by, actor_label=ACTOR_LABEL,
                   kind=OrderEvent.Kind.NOTE, note=f"监督案件{case.number}：{text}")
        for order_id in case.orders.values_list("pk", flat=True)])


def notify_safely(recipients, **kwargs) -> list:
    """`jidu.notifications.services.notify` (the notifications app's contract). A failure to notify
    never undoes the case action that was already committed; it is logged."""
    recipients = [r for r in recipients if r]
    if not recipients:
        return []
    try:
        from jidu.notifications.services import notify
    except ImportError:
        log.warning("通知模块尚未安装，未发送：%s", kwargs.get("title"))
        return []
    try:
        return notify(recipients, **kwargs)
    except Exception:  # noqa: BLE001 — a notification problem must not hide the committed action
        log.exception("发送通知失败：%s", kwargs.get("title"))
        return []


def case_url(case) -> str:
    from django.urls import reverse

    return reverse("supervision:detail", args=[case.pk])


def _locked(case) -> SupervisionCase:
    return SupervisionCase.objects.select_for_update().get(pk=case.pk)


def _start_step(case, state, *, by, action="", note="", on: dt.date | None = None, now=None) -> CaseStep:
    now = now or timezone.now()
    due = step_due(state, now, on=on)
    dept = case.departments.order_by("pk").first() if state in DEPARTMENT_STATES else None
    step = CaseStep.objects.create(
        case=case, state=state, started_at=now, due_at=due, action=action, note=note,
        assignee=None if dept else case.assignee, department=dept, alert_at=first_alert(now, due))
    case.state = state
    case.due_at = due
    return step


def _move(case, action, *, by, note="", on=None, request=None, files=(), **detail) -> CaseStep:
    """Finish the current step and start the next; call inside a transaction with `case` locked."""
    try:
        nxt = target(case.state, action)
    except TransitionRefused as exc:
        raise CaseError(str(exc)) from None
    try:
        return _do_move(case, action, nxt, by=by, note=note, on=on, request=request, files=files, **detail)
    except worktime.CalendarYearMissing as exc:  # fail loudly, in words an administrator can act on
        raise CaseError(str(exc)) from None


def _do_move(case, action, nxt, *, by, note, on, request, files, **detail) -> CaseStep:
    now = timezone.now()
    current = case.steps.filter(finished_at__isnull=True).order_by("-id").first()
    if current is not None:
        current.finished_at, current.finished_by, current.alert_at = now, by, None
        current.save(update_fields=["finished_at", "finished_by", "alert_at"])
    if nxt in (State.APPLIED, State.WITHDRAWN):
        step = CaseStep.objects.create(case=case, state=nxt, started_at=now, finished_at=now, finished_by=by,
                                       action=action, note=note, assignee=by)
        case.state, case.due_at = nxt, None
    else:
        step = _start_step(case, nxt, by=by, action=action, note=note, on=on, now=now)
    if nxt == State.CLOSED:
        case.closed_at = now
    case.save()
    save_files(case, files, by=by, step=step)
    audit.record(audit.AuditLog.Action.CHANGE, user=by, request=request, obj=case, event=f"case_{action}",
                 from_state=current.state if current else "", to_state=nxt, note=note[:500], **detail)
    text = f"{Action(action).label}，进入“{State(nxt).label}”环节"
    if step.due_at:
        text += f"，时限{timezone.localtime(step.due_at):%Y-%m-%d}"
    timeline(case, text + (f"。{note}" if note else ""), by=by)
    return step


# ---------------------------------------------------------------- actions
def open_case(*, subject: str, departments, by, summary: str = "", orders=(), assignee=None, request=None,
              source: str = "clue", demo_key: str = "") -> SupervisionCase:
    subject = (subject or "").strip()
    departments = list(departments or [])
    if not subject:
        raise CaseError("请填写督办事由")
    if not departments:
        raise CaseError("请至少选择一个被监督单位")
    with transaction.atomic():
        case = SupervisionCase.objects.create(subject=subject, summary=summary, assignee=assignee or by,
                                              opened_by=by, source=source if orders else "manual",
                                              demo_key=demo_key)
        case.departments.set(departments)
        case.orders.set(list(orders or []))
        try:
            step = _start_step(case, State.FILED, by=by, action="file", note="立案")
        except worktime.CalendarYearMissing as exc:
            raise CaseError(str(exc)) from None
        case.save()
        audit.record(audit.AuditLog.Action.CHANGE, user=by, request=request, obj=case, event="case_file",
                     subject=subject, orders=[o.pk for o in orders], departments=[d.pk for d in departments])
        timeline(case, f"立案督办（{subject}），承办监督员 {case.assignee or '未指定'}，"
                       f"调查时限{timezone.localtime(step.due_at):%Y-%m-%d}", by=by)
    notify_safely([case.assignee], kind="supervision.filed", title=f"监督案件已立案：{subject}",
                  url=case_url(case), obj=case, dedupe_key=f"supervision:{case.pk}:filed")
    return case


def advance(case, action: str, *, by, note: str = "", on: dt.date | None = None, files=(), request=None):
    """The plain transitions (开始调查, 签收并整改, 撤销). Others have their own functions."""
    if action not in (Action.INVESTIGATE, Action.DELIVER, Action.WITHDRAW):
        raise CaseError("该操作需通过相应的表单办理")
    with transaction.atomic():
        locked = _locked(case)
        if action == Action.DELIVER and on is None and locked.rectify_deadline:
            on = locked.rectify_deadline
        step = _move(locked, action, by=by, note=note, on=on, files=files, request=request)
    if action == Action.DELIVER:
        notify_safely([locked.assignee], kind="supervision.delivered", title=f"被监督单位已签收：{locked.subject}",
                      url=case_url(locked), obj=locked, dedupe_key=f"supervision:{locked.pk}:delivered:{step.pk}")
    return locked


def document_context(case, *, addressee, deadline=None, extra: str = "") -> dict:
    """What a document template may use. Orders are plain dicts with masked content: a template an
    administrator edits can never print a caller's personal data."""
    from jidu.orders.services import display_content

    orders = [{"order_no": o.order_no, "title": o.title, "content": display_content(o),
               "received_at": o.received_at} for o in case.orders.order_by("received_at", "pk")]
    return {
        "case": {"number": case.number, "subject": case.subject, "summary": case.summary,
                 "filed_date_cn": chinese_date(timezone.localtime(case.opened_at).date())},
        "order": orders[0] if orders else None, "orders": orders, "department": addressee,
        "deadline": deadline, "deadline_cn": chinese_date(deadline) if deadline else "", "extra": extra,
    }


def issue_case_document(case, type_code: str, *, by, addressee, deadline: dt.date | None = None,
                        extra: str = "", request=None):
    """Issue a numbered document from the case (documents.issue_document). From 调查 it moves the case
    to 制发监督文书; in later open steps it is issued without moving the case (提醒函, 督办单 …)."""
    if addressee is None:
        raise CaseError("请选择主送单位")
    with transaction.atomic():
        locked = _locked(case)
        if locked.state not in DOCUMENT_STATES:
            if locked.state == State.FILED:
                raise CaseError("案件尚在“立案”环节，请先开始调查，再制发监督文书。")
            raise CaseError(f"案件处于“{locked.get_state_display()}”环节，不能再制发监督文书。")
        if not locked.departments.filter(pk=addressee.pk).exists():
            raise CaseError(f"主送单位“{addressee}”不是本案的被监督单位")
        if deadline is not None:
            if deadline < timezone.localdate():
                raise CaseError("整改期限不能早于今天")
            try:
                deadline = timezone.localtime(end_of_working_day_on_or_after(deadline)).date()
            except worktime.CalendarYearMissing as exc:
                raise CaseError(str(exc)) from None
        try:
            doc = issue_document(type_code, context=document_context(locked, addressee=addressee, deadline=deadline,
                                                                     extra=extra),
                                 issued_by=by, addressee=addressee, obj=locked, request=request)
        except DocumentError as exc:
            raise CaseError(str(exc)) from None
        if deadline is not None:
            locked.rectify_deadline = deadline
            locked.save(update_fields=["rectify_deadline"])
        if locked.state == State.INVESTIGATING:
            try:
                _move(locked, Action.ISSUE, by=by, note=f"制发{doc.doc_type.name}{doc.number}", request=request,
                      document=doc.number)
            except Exception:  # the number rolls back with the transaction: so does the stored file
                doc.docx.storage.delete(doc.docx.name)
                raise
        else:
            audit.record(audit.AuditLog.Action.CHANGE, user=by, request=request, obj=locked,
                         event="case_document", document=doc.number)
            timeline(locked, f"制发{doc.doc_type.name}{doc.number}", by=by)
    notify_safely([addressee], kind="supervision.document", title=f"收到{doc.doc_type.name}：{doc.number}",
                  body=doc.title, url=case_url(locked), obj=doc, dedupe_key=f"document:{doc.pk}")
    return doc


def user_department_in_case(user, case):
    dept_id = getattr(user, "department_id", None)
    return case.departments.filter(pk=dept_id).first() if dept_id else None


def submit_rectification(case, *, by, text: str, files=(), request=None) -> Rectification:
    text = (text or "").strip()
    if not text:
        raise CaseError("请填写整改情况")
    dept = user_department_in_case(by, case)
    if dept is None:
        raise CaseError("只有被监督单位的承办人可以提交整改报告")
    check_files(files)
    with transaction.atomic():
        locked = _locked(case)
        if locked.state != State.RECTIFYING:
            try:
                target(locked.state, Action.SUBMIT)
            except TransitionRefused as exc:
                raise CaseError(str(exc)) from None
        rect = Rectification.objects.create(case=locked, department=dept, text=text, by=by)
        step = _move(locked, Action.SUBMIT, by=by, note=f"{dept}提交整改报告", request=request,
                     rectification=rect.pk)
        save_files(locked, files, by=by, step=step, rectification=rect)
    notify_safely([locked.assignee], kind="supervision.rectified", title=f"收到整改报告：{locked.subject}",
                  body=text[:200], url=case_url(locked), obj=locked,
                  dedupe_key=f"supervision:{locked.pk}:rect:{rect.pk}")
    return rect


def review(case, *, by, accept: bool, note: str = "", on: dt.date | None = None, request=None):
    note = (note or "").strip()
    if not accept and not note:
        raise CaseError("退回继续整改时请写明复核意见")
    with transaction.atomic():
        locked = _locked(case)
        action = Action.ACCEPT if accept else Action.RETURN
        rect = locked.rectifications.filter(outcome=Rectification.Outcome.PENDING).order_by("-at", "-id").first()
        _move(locked, action, by=by, note=note, on=on, request=request)
        if rect is not None:
            rect.outcome = Rectification.Outcome.ACCEPTED if accept else Rectification.Outcome.RETURNED
            rect.review_note, rect.reviewed_by, rect.reviewed_at = note, by, timezone.now()
            rect.save(update_fields=["outcome", "review_note", "reviewed_by", "reviewed_at"])
    if not accept:
        notify_safely(list(locked.departments.all()), kind="supervision.returned",
                      title=f"整改报告被退回：{locked.subject}", body=note, url=case_url(locked), obj=locked,
                      dedupe_key=f"supervision:{locked.pk}:returned:{rect.pk if rect else 0}")
    return locked


def apply_result(case, *, by, score=None, accountability=False, accountability_to="", rule_change="",
                 list_entry=None, money_recovered=Decimal("0"), note="", request=None) -> CaseResult:
    if accountability and not (accountability_to or "").strip():
        raise CaseError("移送追责时请填写移送机关")
    if money_recovered is not None and Decimal(money_recovered) < 0:
        raise CaseError("挽回经济损失不能为负数")
    with transaction.atomic():
        locked = _locked(case)
        try:
            target(locked.state, Action.APPLY)
        except TransitionRefused as exc:
            raise CaseError(str(exc)) from None
        result = CaseResult.objects.create(
            case=locked, score=score, accountability=accountability, accountability_to=accountability_to or "",
            rule_change=rule_change or "", list_entry=list_entry, money_recovered=money_recovered or 0,
            note=note or "", by=by)
        parts = []
        if score is not None:
            parts.append(f"考评{score}分")
        if accountability:
            parts.append(f"移送{accountability_to}追责")
        if rule_change or list_entry:
            parts.append("完善制度/清单" + (f"（{list_entry}）" if list_entry else ""))
        if money_recovered:
            parts.append(f"挽回经济损失{money_recovered}元")
        _move(locked, Action.APPLY, by=by, note="；".join(parts), request=request,
              money_recovered=str(money_recovered or 0), accountability=bool(accountability))
    return result


def withdraw(case, *, by, note: str, request=None):
    if not (note or "").strip():
        raise CaseError("撤销案件时请写明理由")
    return advance(case, Action.WITHDRAW, by=by, note=note.strip(), request=request)


def open_cases_for_order(order):
    return SupervisionCase.objects.filter(orders=order).exclude(state=State.WITHDRAWN)


# ---------------------------------------------------------------- deadline scan
def scan_overdue_steps(now: dt.datetime | None = None) -> str:
    """Yellow card on the deadline's day, red card (urgent) once overdue, each once per step.
    Steps are claimed with jobs.claims.claim_due on `alert_at`, so two workers never send one twice."""
    from jidu.jobs.claims import claim_due

    now = now or timezone.now()
    counts = {"yellow": 0, "red": 0}
    open_steps = CaseStep.objects.filter(finished_at__isnull=True)
    for step in claim_due(open_steps, field="alert_at", now=now):
        case = step.case
        responsible = [step.department] if step.department_id else [step.assignee or case.assignee]
        due_text = f"{timezone.localtime(step.due_at):%Y-%m-%d %H:%M}" if step.due_at else "—"
        if step.due_at and now < step.due_at:
            card, next_alert, urgent = CaseStep.Card.YELLOW, step.due_at, False
            title = f"黄牌提醒：监督案件“{case.subject}”的“{step.get_state_display()}”环节将于{due_text}到期"
        else:
            card, next_alert, urgent = CaseStep.Card.RED, None, True
            title = f"红牌督办：监督案件“{case.subject}”的“{step.get_state_display()}”环节已超期（时限{due_text}）"
            if case.assignee_id and case.assignee not in responsible:
                responsible.append(case.assignee)
        CaseStep.objects.filter(pk=step.pk).update(card=card, alert_at=next_alert)
        notify_safely(responsible, kind=f"supervision.{card}", title=title, url=case_url(case), urgent=urgent,
                      obj=case, dedupe_key=f"supervision:step:{step.pk}:{card}")
        audit.record(audit.AuditLog.Action.CHANGE, actor="到期扫描", obj=case, event=f"case_card_{card}",
                     step=step.pk, state=step.state)
        counts[card] += 1
    return f"监督案件到期扫描：黄牌{counts['yellow']}个，红牌{counts['red']}个"
