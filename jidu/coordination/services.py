"""Domain logic of coordination: consultations, joint inspections and intervention guidance.

Every state change is a conditional UPDATE on the expected state (one winner), goes on the timeline
of each linked order, is audited, and notifies the departments concerned through
``jidu.notifications.services.notify``. An impossible transition raises ``CoordinationError`` with a
Chinese message naming the current state."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from stdnum import exceptions as stdnum_exc
from stdnum.cn import uscc as uscc_mod

from jidu.coordination.models import (
    Consultation, ConsultationMaterial, FindingPhoto, FollowUpTask, Guidance, Inspection, InspectionBusiness,
    InspectionCase, InspectionFinding, ListEntryChange, Rectification,
)
from jidu.core import audit
from jidu.core.files import check_uploads
from jidu.orders.models import OrderEvent
from jidu.worktime import services as worktime

FOLLOWUP_LIMIT_KEY = "coordination_followup"
GUIDANCE_LIMIT_KEY = "guidance"

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
MATERIAL_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".ofd", ".jpg",
                       ".jpeg", ".png", ".zip"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_SIGNATURES = {".jpg": [b"\xff\xd8\xff"], ".jpeg": [b"\xff\xd8\xff"], ".png": [b"\x89PNG\r\n\x1a\n"]}
ACTOR_LABEL = "会商巡查"


class CoordinationError(Exception):
    """A request the current state or the input does not allow; the message is for the user."""


# ------------------------------------------------------------------------------------------ helpers
def _notify(recipients, **kwargs):
    from jidu.notifications.services import notify

    recipients = [r for r in recipients if r]
    return notify(recipients, **kwargs) if recipients else []


def _order_note(orders, text: str, *, by=None) -> None:
    now = timezone.now()
    OrderEvent.objects.bulk_create([
        OrderEvent(order=o, kind=OrderEvent.Kind.NOTE, note=text, actor=by, actor_label=ACTOR_LABEL, at=now,
                   recorded_at=now) for o in orders])


def _move(model, obj, expected: list[str], new: str, *, action: str, **values) -> None:
    """Conditional UPDATE from one of the expected states; a loser gets a clear message."""
    if obj.state in expected:
        updated = model.objects.filter(pk=obj.pk, state__in=expected).update(state=new, **values)
        if updated == 1:
            obj.state = new
            for key, value in values.items():
                setattr(obj, key, value)
            return
        obj.refresh_from_db()
    wanted = "、".join(f"“{model.State(s).label}”" for s in expected)
    raise CoordinationError(f"当前状态为“{obj.get_state_display()}”，不能{action}（仅{wanted}时可以）。")


def validate_uscc(value: str) -> str:
    """Normalise and validate a unified social credit code (统一社会信用代码); '' stays ''."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    try:
        return uscc_mod.validate(value)
    except stdnum_exc.InvalidLength:
        reason = "应为18位"
    except stdnum_exc.InvalidChecksum:
        reason = "校验位不正确"
    except stdnum_exc.InvalidFormat:
        reason = "含有不允许的字符（只能是数字和除 I、O、S、V、Z 以外的大写字母）"
    except stdnum_exc.ValidationError:
        reason = "格式不正确"
    raise CoordinationError(f"统一社会信用代码“{value}”无效：{reason}")


def is_supervisor(user) -> bool:
    return bool(user.is_superuser or user.role in ("supervisor", "admin"))


def _own_department(user, department_id) -> bool:
    """A handler acts only for their own department; supervisors for any."""
    return is_supervisor(user) or (user.department_id is not None and user.department_id == department_id)


# ------------------------------------------------------------------------------------------ consultations
def create_consultation(*, by, topic, kind, departments, scheduled_at, place="", description="", orders=(),
                        disputes=()) -> Consultation:
    departments = list(departments)
    if not departments:
        raise CoordinationError("请至少选择一个参会部门")
    with transaction.atomic():
        c = Consultation.objects.create(topic=topic, kind=kind, convened_by=by, scheduled_at=scheduled_at,
                                        place=place, description=description)
        c.departments.set(departments)
        link_orders(c, orders, by=by)
        c.disputes.set(list(disputes))
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=c, event="consultation_created", topic=topic)
    _invite(c, departments)
    return c


def update_consultation(c: Consultation, *, by, departments=None, orders=(), disputes=None, **values) -> Consultation:
    if c.state == Consultation.State.CLOSED:
        raise CoordinationError("会商会审已办结，不能再修改")
    with transaction.atomic():
        for key, value in values.items():
            setattr(c, key, value)
        c.save()
        new_depts = []
        if departments is not None:
            departments = list(departments)
            if not departments:
                raise CoordinationError("请至少选择一个参会部门")
            before = set(c.departments.values_list("pk", flat=True))
            c.departments.set(departments)
            new_depts = [d for d in departments if d.pk not in before]
        link_orders(c, orders, by=by)
        if disputes is not None:
            c.disputes.set(list(disputes))
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=c, event="consultation_updated")
    _invite(c, new_depts)
    return c


def _invite(c: Consultation, departments) -> None:
    if departments:
        when = timezone.localtime(c.scheduled_at)
        _notify(departments, kind="coordination.consultation",
                title=f"{c.get_kind_display()}邀请：{c.topic}",
                body=f"时间：{when:%Y-%m-%d %H:%M}；地点：{c.place or '另行通知'}",
                url=reverse("coordination:consultation", args=[c.pk]),
                dedupe_key=f"coordination:consultation:{c.pk}:invite", obj=c)


def link_orders(c: Consultation, orders, *, by=None) -> list:
    orders = [o for o in orders if o is not None]
    known = set(c.orders.values_list("pk", flat=True))
    new = [o for o in orders if o.pk not in known]
    if new:
        c.orders.add(*new)
        _order_note(new, f"纳入{c.get_kind_display()}：{c.topic}", by=by)
    return new


def hold(c: Consultation, *, by, minutes: str) -> Consultation:
    if not (minutes or "").strip():
        raise CoordinationError("请填写会议纪要")
    with transaction.atomic():
        _move(Consultation, c, [Consultation.State.PLANNED], Consultation.State.HELD, action="登记召开",
              minutes=minutes.strip(), held_at=timezone.now())
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=c, event="consultation_held")
    return c


def conclude(c: Consultation, *, by, conclusions: str) -> Consultation:
    if not (conclusions or "").strip():
        raise CoordinationError("请填写会商结论")
    with transaction.atomic():
        _move(Consultation, c, [Consultation.State.HELD], Consultation.State.CONCLUDED, action="形成结论",
              conclusions=conclusions.strip(), concluded_at=timezone.now())
        _order_note(c.orders.all(), f"{c.get_kind_display()}结论（{c.topic}）：{c.conclusions[:200]}", by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=c, event="consultation_concluded")
    _notify(list(c.departments.all()), kind="coordination.consultation",
            title=f"{c.get_kind_display()}结论：{c.topic}", body=c.conclusions[:300],
            url=reverse("coordination:consultation", args=[c.pk]),
            dedupe_key=f"coordination:consultation:{c.pk}:concluded", obj=c)
    maybe_close(c)
    return c


def maybe_close(c: Consultation) -> bool:
    """Close a concluded consultation once it has follow-up tasks and all are done."""
    tasks = c.tasks.all()
    if c.state == Consultation.State.CONCLUDED and tasks.exists() and not tasks.filter(done=False).exists():
        if Consultation.objects.filter(pk=c.pk, state=Consultation.State.CONCLUDED).update(
                state=Consultation.State.CLOSED, closed_at=timezone.now()):
            c.refresh_from_db()
            return True
    return False


def close(c: Consultation, *, by) -> Consultation:
    """A supervisor closes a concluded consultation by hand (e.g. one with no follow-up tasks)."""
    if c.tasks.filter(done=False).exists():
        raise CoordinationError("仍有跟进任务未完成，不能办结")
    with transaction.atomic():
        _move(Consultation, c, [Consultation.State.CONCLUDED], Consultation.State.CLOSED, action="办结",
              closed_at=timezone.now())
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=c, event="consultation_closed")
    return c


def add_materials(c: Consultation, files, *, by) -> list[ConsultationMaterial]:
    if c.state == Consultation.State.CLOSED:
        raise CoordinationError("会商会审已办结，不能再上传材料")
    files = check_uploads(files, error=CoordinationError, max_bytes=MAX_MATERIAL_BYTES,
                          extensions=MATERIAL_EXTENSIONS, what="材料")
    with transaction.atomic():
        saved = [ConsultationMaterial.from_upload(f, by=by, consultation=c) for f in files]
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=c, event="materials_added",
                     files=[m.name for m in saved])
    return saved


def followup_deadline(start: dt.datetime, working_days: int | None) -> dt.datetime:
    if working_days:
        return worktime.add_working_days(start, working_days)
    return worktime.deadline(start, FOLLOWUP_LIMIT_KEY)


def add_task(c: Consultation, *, by, text: str, owner_department, owner_user=None, working_days=None,
             start=None) -> FollowUpTask:
    if c.state not in (Consultation.State.HELD, Consultation.State.CONCLUDED):
        raise CoordinationError(f"当前状态为“{c.get_state_display()}”，不能布置跟进任务（会议召开后才能布置）。")
    if owner_user is not None and owner_user.department_id != owner_department.pk:
        raise CoordinationError(f"责任人“{owner_user}”不属于{owner_department}")
    start = start or timezone.now()
    due = followup_deadline(start, working_days)
    with transaction.atomic():
        task = FollowUpTask.objects.create(consultation=c, text=text, owner_department=owner_department,
                                           owner_user=owner_user, working_days=working_days, due_at=due,
                                           created_by=by, created_at=start)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=task, event="followup_added")
    _notify([owner_user or owner_department], kind="coordination.followup",
            title=f"会商跟进任务：{text[:40]}", body=f"完成时限：{timezone.localtime(due):%Y-%m-%d}",
            url=reverse("coordination:consultation", args=[c.pk]),
            dedupe_key=f"coordination:followup:{task.pk}", obj=task)
    return task


def complete_task(task: FollowUpTask, *, by, note: str) -> FollowUpTask:
    if not _own_department(by, task.owner_department_id):
        raise PermissionDenied("只有责任部门或执法监督员可以报告该任务的完成情况")
    if not (note or "").strip():
        raise CoordinationError("请填写完成情况")
    with transaction.atomic():
        if FollowUpTask.objects.filter(pk=task.pk, done=False).update(
                done=True, done_note=note.strip(), done_at=timezone.now(), done_by=by) != 1:
            raise CoordinationError("该任务已报告完成")
        task.refresh_from_db()
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=task, event="followup_done")
    c = task.consultation
    maybe_close(c)
    _notify([c.convened_by], kind="coordination.followup", title=f"跟进任务已完成：{task.text[:40]}",
            body=task.done_note[:300], url=reverse("coordination:consultation", args=[c.pk]),
            dedupe_key=f"coordination:followup:{task.pk}:done", obj=task)
    return task


def apply_to_list(c: Consultation, *, by, entry=None, code: str = "", changes: dict) -> ListEntryChange:
    """Create (entry=None, code given) or amend (entry given) a responsibility-list entry from the
    consultation's conclusion, through jurisdiction's own save_entry() (which writes the version)."""
    from jidu.jurisdiction.models import EntrySource, ListEntry, ListType
    from jidu.jurisdiction.services import lists

    if c.state not in (Consultation.State.CONCLUDED, Consultation.State.CLOSED):
        raise CoordinationError(f"当前状态为“{c.get_state_display()}”，形成结论后才能更新职责清单。")
    note = f"{c.get_kind_display()}纪要（会商#{c.pk} {c.topic}）"[:200]
    if entry is None:
        code = (code or "").strip()
        if not code:
            raise CoordinationError("请填写新条目的编号")
        if ListEntry.objects.filter(code=code).exists():
            raise CoordinationError(f"条目编号“{code}”已存在，请选择“修改条目”")
        if not changes.get("matter"):
            raise CoordinationError("请填写事项")
        data = {"code": code, "list_type": changes.get("list_type") or ListType.BOUNDARY,
                "source": EntrySource.MINUTES, "source_detail": note, "_fields": [], "_co": []}
        action = ListEntryChange.Action.CREATED
    else:
        snap_fields = list(entry.fields.all())
        data = {"code": entry.code, "_fields": snap_fields, "_co": list(entry.co_departments.all())}
        action = ListEntryChange.Action.AMENDED
    for key in ("list_type", "matter", "lead_department", "basis_law", "basis_article", "basis_text", "note",
                "keywords", "description"):
        value = changes.get(key)
        if value not in (None, "", []):
            data[key] = value
    if changes.get("co_departments"):
        data["_co"] = list(changes["co_departments"])
    with transaction.atomic():
        saved, result = lists.save_entry(data, by=by, note=note)
        if result == "unchanged":
            raise CoordinationError("所填内容与清单条目现行版本相同，未作修改")
        version = saved.versions.order_by("-number").values_list("number", flat=True).first()
        link = ListEntryChange.objects.create(consultation=c, entry=saved, action=action, version_number=version,
                                              by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=c, event="list_entry_" + action,
                     entry=saved.code, version=version)
    return link


# ------------------------------------------------------------------------------------------ inspections
def create_inspection(*, by, title, area, start_date, end_date, departments, problem_types=(), themes="",
                      orders=()) -> Inspection:
    departments = list(departments)
    if not departments:
        raise CoordinationError("请至少选择一个参加部门")
    if end_date < start_date:
        raise CoordinationError("结束日期早于开始日期")
    with transaction.atomic():
        i = Inspection.objects.create(title=title, area=area, start_date=start_date, end_date=end_date,
                                      themes=themes, created_by=by)
        i.departments.set(departments)
        i.problem_types.set(list(problem_types))
        link_inspection_orders(i, orders, by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=i, event="inspection_created")
    _notify_inspection(i, departments)
    return i


def update_inspection(i: Inspection, *, by, departments=None, problem_types=None, orders=(), **values) -> Inspection:
    if i.state == Inspection.State.COMPLETED:
        raise CoordinationError("巡查已完成，不能再修改计划")
    start, end = values.get("start_date", i.start_date), values.get("end_date", i.end_date)
    if end < start:
        raise CoordinationError("结束日期早于开始日期")
    new_depts = []
    with transaction.atomic():
        for key, value in values.items():
            setattr(i, key, value)
        i.save()
        if departments is not None:
            departments = list(departments)
            if not departments:
                raise CoordinationError("请至少选择一个参加部门")
            before = set(i.departments.values_list("pk", flat=True))
            i.departments.set(departments)
            new_depts = [d for d in departments if d.pk not in before]
        if problem_types is not None:
            i.problem_types.set(list(problem_types))
        link_inspection_orders(i, orders, by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=i, event="inspection_updated")
    _notify_inspection(i, new_depts)
    return i


def _notify_inspection(i: Inspection, departments) -> None:
    if departments:
        _notify(departments, kind="coordination.inspection", title=f"联合巡查：{i.title}",
                body=f"{i.area}，{i.start_date:%Y-%m-%d} 至 {i.end_date:%Y-%m-%d}",
                url=reverse("coordination:inspection", args=[i.pk]),
                dedupe_key=f"coordination:inspection:{i.pk}:invite", obj=i)


def link_inspection_orders(i: Inspection, orders, *, by=None) -> list:
    orders = [o for o in orders if o is not None]
    known = set(i.orders.values_list("pk", flat=True))
    new = [o for o in orders if o.pk not in known]
    if new:
        i.orders.add(*new)
        _order_note(new, f"纳入联合巡查：{i.title}（{i.start_date:%Y-%m-%d}）", by=by)
    return new


def start_inspection(i: Inspection, *, by) -> Inspection:
    with transaction.atomic():
        _move(Inspection, i, [Inspection.State.PLANNED], Inspection.State.IN_PROGRESS, action="开始巡查",
              started_at=timezone.now())
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=i, event="inspection_started")
    return i


def complete_inspection(i: Inspection, *, by, summary: str = "") -> Inspection:
    with transaction.atomic():
        _move(Inspection, i, [Inspection.State.IN_PROGRESS], Inspection.State.COMPLETED, action="完成巡查",
              completed_at=timezone.now(), summary=(summary or i.summary).strip())
        _order_note(i.orders.all(), f"联合巡查已完成：{i.title}；发现问题{i.findings.count()}处，"
                                    f"立案{i.cases.count()}起", by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=i, event="inspection_completed")
    return i


def _recording_allowed(i: Inspection, what: str) -> None:
    if i.state == Inspection.State.PLANNED:
        raise CoordinationError(f"当前状态为“{i.get_state_display()}”，开始巡查后才能{what}。")


def add_finding(i: Inspection, *, by, place, description, business_name="", uscc="", problem_type=None,
                photos=()) -> InspectionFinding:
    _recording_allowed(i, "记录发现")
    code = validate_uscc(uscc)
    photos = check_uploads(photos, error=CoordinationError, max_bytes=MAX_PHOTO_BYTES,
                           extensions=set(PHOTO_SIGNATURES), signatures=PHOTO_SIGNATURES, what="照片")
    with transaction.atomic():
        finding = InspectionFinding.objects.create(inspection=i, place=place, description=description,
                                                   business_name=business_name.strip(), uscc=code,
                                                   problem_type=problem_type, recorded_by=by)
        for f in photos:
            FindingPhoto.from_upload(f, by=by, finding=finding)
        if finding.business_name and not i.businesses.filter(name=finding.business_name).exists():
            InspectionBusiness.objects.create(inspection=i, name=finding.business_name, uscc=code)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=finding, event="finding_added")
    return finding


def add_case(i: Inspection, *, by, number: str, department, finding=None, note: str = "") -> InspectionCase:
    _recording_allowed(i, "登记立案")
    number = (number or "").strip()
    if not number:
        raise CoordinationError("请填写案件编号")
    if i.cases.filter(department=department, number=number).exists():
        raise CoordinationError(f"{department}的案件“{number}”已登记")
    with transaction.atomic():
        case = InspectionCase.objects.create(inspection=i, number=number, department=department, finding=finding,
                                             note=note, recorded_by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=case, event="case_added")
    return case


def add_rectification(i: Inspection, *, by, department, description, deadline: dt.date,
                      finding=None) -> Rectification:
    _recording_allowed(i, "布置整改")
    with transaction.atomic():
        r = Rectification.objects.create(inspection=i, department=department, description=description,
                                         deadline=deadline, finding=finding)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=r, event="rectification_added")
    _notify([department], kind="coordination.rectification", title=f"巡查整改：{description[:40]}",
            body=f"整改期限：{deadline:%Y-%m-%d}", url=reverse("coordination:inspection", args=[i.pk]),
            dedupe_key=f"coordination:rectification:{r.pk}", obj=r)
    return r


def complete_rectification(r: Rectification, *, by, note: str) -> Rectification:
    if not _own_department(by, r.department_id):
        raise PermissionDenied("只有整改责任部门或执法监督员可以报告整改情况")
    if not (note or "").strip():
        raise CoordinationError("请填写整改情况")
    with transaction.atomic():
        if Rectification.objects.filter(pk=r.pk, done=False).update(
                done=True, done_note=note.strip(), done_at=timezone.now(), done_by=by) != 1:
            raise CoordinationError("该整改已报告完成")
        r.refresh_from_db()
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=r, event="rectification_done")
    return r


def add_business(i: Inspection, *, by, name: str, uscc: str = "") -> InspectionBusiness:
    name = (name or "").strip()
    if not name:
        raise CoordinationError("请填写经营主体名称")
    code = validate_uscc(uscc)
    b = InspectionBusiness.objects.create(inspection=i, name=name, uscc=code)
    audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=i, event="business_linked", name=name)
    return b


# ------------------------------------------------------------------------------------------ guidance
def default_guidance_days() -> int:
    try:
        return worktime.get_limit(GUIDANCE_LIMIT_KEY).amount
    except worktime.TimeLimitMissing:
        return 5


def issue_guidance(*, by, department=None, order=None, text, requested_action, legal_basis="",
                   working_days: int | None = None, start=None) -> Guidance:
    if department is None and order is not None:
        department = order.lead_department
    if department is None:
        raise CoordinationError("请选择指导对象部门（该工单没有主办单位）")
    working_days = working_days or default_guidance_days()
    start = start or timezone.now()
    due = worktime.add_working_days(start, working_days)
    with transaction.atomic():
        g = Guidance.objects.create(order=order, department=department, text=text, legal_basis=legal_basis,
                                    requested_action=requested_action, working_days=working_days, due_at=due,
                                    overdue_check_at=due, issued_by=by, issued_at=start)
        if order is not None:
            _order_note([order], f"介入指导（致{department}，{working_days}个工作日内落实）：{text[:200]}", by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=g, event="guidance_issued")
    _notify([department], kind="coordination.guidance", title=f"介入指导：{text[:40]}",
            body=f"要求：{requested_action[:200]}；落实时限：{timezone.localtime(due):%Y-%m-%d}",
            url=reverse("coordination:guidance", args=[g.pk]), dedupe_key=f"coordination:guidance:{g.pk}", obj=g)
    return g


def acknowledge_guidance(g: Guidance, *, by, note: str = "") -> Guidance:
    if not _own_department(by, g.department_id):
        raise PermissionDenied("只有指导对象部门可以签收")
    now = timezone.now()
    with transaction.atomic():
        if g.state == Guidance.State.OVERDUE and g.acknowledged_at is None:
            Guidance.objects.filter(pk=g.pk).update(acknowledged_at=now, acknowledged_by=by, acknowledge_note=note)
            g.refresh_from_db()
        else:
            _move(Guidance, g, [Guidance.State.ISSUED], Guidance.State.ACKNOWLEDGED, action="签收",
                  acknowledged_at=now, acknowledged_by=by, acknowledge_note=note)
        if g.order_id:
            _order_note([g.order], f"{g.department}已签收介入指导#{g.pk}", by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=g, event="guidance_acknowledged")
    return g


def report_action(g: Guidance, *, by, action_taken: str) -> Guidance:
    if not _own_department(by, g.department_id):
        raise PermissionDenied("只有指导对象部门可以报告落实情况")
    if not (action_taken or "").strip():
        raise CoordinationError("请填写落实情况")
    now = timezone.now()
    with transaction.atomic():
        _move(Guidance, g, list(Guidance.OPEN), Guidance.State.ACTED, action="报告落实情况",
              action_taken=action_taken.strip(), acted_at=now, acted_by=by, overdue_check_at=None,
              **({} if g.acknowledged_at else {"acknowledged_at": now, "acknowledged_by": by}))
        if g.order_id:
            late = "（逾期落实）" if g.acted_late else ""
            _order_note([g.order], f"{g.department}报告介入指导#{g.pk}落实情况{late}：{g.action_taken[:200]}", by=by)
        audit.record(audit.AuditLog.Action.CHANGE, user=by, obj=g, event="guidance_acted", late=g.acted_late)
    _notify([g.issued_by], kind="coordination.guidance", title=f"介入指导已落实：{g.department}",
            body=g.action_taken[:300], url=reverse("coordination:guidance", args=[g.pk]),
            dedupe_key=f"coordination:guidance:{g.pk}:acted", obj=g)
    return g


def scan_overdue(now=None) -> str:
    """Mark guidance not acted on by its deadline as overdue: claimed one by one with
    ``jobs.claims.claim_due`` on ``overdue_check_at`` so two workers never mark the same one. The
    department and the issuing supervisor are notified; the order's timeline records it."""
    from jidu.jobs.claims import claim_due

    now = now or timezone.now()
    qs = Guidance.objects.filter(state__in=[Guidance.State.ISSUED, Guidance.State.ACKNOWLEDGED])
    marked = 0
    for g in claim_due(qs, field="overdue_check_at", now=now):
        with transaction.atomic():
            changed = Guidance.objects.filter(
                pk=g.pk, state__in=[Guidance.State.ISSUED, Guidance.State.ACKNOWLEDGED]).update(
                state=Guidance.State.OVERDUE, overdue_at=now, overdue_check_at=None)
            if not changed:
                continue
            if g.order_id:
                _order_note([g.order], f"介入指导#{g.pk}逾期未落实（时限 {timezone.localtime(g.due_at):%Y-%m-%d}，"
                                       f"致{g.department}）", by=None)
            audit.record(audit.AuditLog.Action.CHANGE, actor="逾期扫描", obj=g, event="guidance_overdue")
        marked += 1
        _notify([g.department, g.issued_by], kind="coordination.guidance_overdue",
                title=f"介入指导逾期未落实：{g.text[:40]}",
                body=f"落实时限 {timezone.localtime(g.due_at):%Y-%m-%d}，请尽快报告落实情况",
                url=reverse("coordination:guidance", args=[g.pk]),
                dedupe_key=f"coordination:guidance:{g.pk}:overdue", obj=g)
    return f"介入指导逾期标记 {marked} 件"
