"""Intake: one code path for every way an order arrives (API, CSV, Excel, demo stream).

`Ingestor.ingest()` takes canonical records (see fields.py), cleans each one, and upserts it on
(source, order_no) in chunks:
- a new order number creates an order; a known one updates it, and each changed field lands on
  the order's timeline;
- a record older than what is stored (by its 更新时间, else the time it arrived) never overwrites it;
- a bad record is reported with row, column, value and reason, and the good ones are kept;
- unknown areas and departments are kept as text and flagged for a person to check.
Work is done in chunks with bulk queries so a file of a million rows streams in constant memory.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jidu.core import crypto
from jidu.core.bulk import Analyzer, build, changed_fields, insert_many, snapshot, update_changed
from jidu.intake.fields import LABELS, REQUIRED
from jidu.intake.parsing import parse_choice, parse_datetime, split_names
from jidu.intake.signals import orders_ingested
from jidu.orders.models import (
    Channel,
    OrderCoDepartment,
    OrderEvent,
    OrderType,
    Resolution,
    Satisfaction,
    Source,
    Status,
    WorkOrder,
)
from jidu.org.models import Area, Department
from jidu.worktime import services as worktime

log = logging.getLogger(__name__)


def _choices(enum, extra: dict[str, str] | None = None) -> dict[str, str]:
    mapping = {label: code for code, label in enum.choices}
    mapping.update({code: code for code in enum.values})
    mapping.update(extra or {})
    return mapping


CHOICES = {
    "order_type": _choices(OrderType, {"投诉举报": "complaint", "举报投诉": "report", "咨询类": "consult",
                                       "求助类": "help", "投诉类": "complaint", "举报类": "report",
                                       "建议类": "suggestion", "意见建议": "suggestion", "感谢": "praise",
                                       "表扬类": "praise"}),
    "channel": _choices(Channel, {"12345电话": "phone", "热线": "phone", "来电": "phone", "网络": "web",
                                  "网页": "web", "门户网站": "web", "微信公众号": "wechat", "小程序": "wechat",
                                  "手机APP": "app", "app": "app", "来信": "letter", "邮件": "email"}),
    "status": _choices(Status, {"已受理": "received", "待派单": "received", "派单": "dispatched",
                                "签收": "signed", "处理中": "in_progress", "办理": "in_progress",
                                "退单": "return_requested", "改派": "redispatched", "延期": "extended",
                                "回复": "replied", "已答复": "replied", "回访": "called_back",
                                "已办结": "closed", "结案": "closed", "重新办理": "reopened",
                                "终止": "terminated", "已归档": "archived"}),
    "callback_resolution": _choices(Resolution, {"已解决": "resolved", "未解决问题": "unresolved"}),
    "callback_satisfaction": _choices(Satisfaction, {"非常满意": "satisfied", "一般": "basic",
                                                     "不评价": "none", "无评价": "none"}),
}
DATETIME_FIELDS = ["received_at", "due_at", "replied_at", "callback_at", "updated_at"]
TEXT_LIMITS = {"title": 300, "address": 300, "hotline_category": 200, "caller_name": 100,
               "caller_phone": 40, "caller_id_number": 30}
# Fields copied onto the order as they are after cleaning (departments and area are resolved apart).
ORDER_FIELDS = ["order_type", "channel", "received_at", "caller_name", "caller_phone", "caller_id_number",
                "title", "content", "address", "hotline_category", "status", "return_reason", "due_at",
                "reply_text", "replied_at", "callback_resolution", "callback_satisfaction", "callback_at"]
# Fields an update may change (compared before/after to write only what changed).
TRACKED = ORDER_FIELDS + ["area", "area_text", "lead_department", "departments_text", "flags", "source_version",
                          "last_batch", "last_batch_row", "caller_phone_index"]
RAW_TEXT_FIELDS = {"area_text", "departments_text"}
PERSONAL_FIELDS = {"caller_name", "caller_phone", "caller_id_number"}
FLAG_CODES = {"unknown_area", "unknown_department", "calendar_missing"}
MASK = "（个人信息，已加密）"


@dataclass
class Problem:
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Outcome:
    """What happened to one record: created / updated / unchanged / stale / error."""

    ref: int | str | None
    order_no: str = ""
    result: str = "error"
    order_id: int | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    text_changed: bool = False  # an update changed the title or content (what screening reads)

    @property
    def ok(self) -> bool:
        return self.result != "error"


@dataclass
class _Cleaned:
    ref: int | str | None
    order_no: str
    data: dict
    version: dt.datetime
    lead: Department | None
    lead_given: bool
    co: list[Department]
    co_given: bool
    area: Area | None
    area_given: bool
    flags: list[dict]
    outcome: Outcome


class Reference:
    """Departments and areas by every name they go by, loaded once per ingest run."""

    def __init__(self):
        self.departments: dict[str, Department] = {}
        for dept in Department.objects.filter(active=True):
            for name in [dept.code, dept.name, dept.short_name, *(dept.aliases or [])]:
                if name:
                    self.departments.setdefault(name.strip(), dept)
        self.areas: dict[str, Area] = {}
        for area in Area.objects.filter(active=True):
            for name in [area.code, area.name, *(area.aliases or [])]:
                if name:
                    self.areas.setdefault(name.strip(), area)

    def department(self, name: str) -> Department | None:
        return self.departments.get(name.strip())

    def area(self, name: str) -> Area | None:
        return self.areas.get(name.strip())


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if "\x00" in text:  # PostgreSQL refuses NUL in text; it never carries meaning in an order
        text = text.replace("\x00", "")
    text = text.strip()
    return text or None


def _aware(moment: dt.datetime, tz=None) -> dt.datetime:
    """A naive time is local time (the current zone, or `tz` when the caller looked it up once)."""
    return timezone.make_aware(moment, tz) if timezone.is_naive(moment) else moment


def _display(name: str, value) -> str:
    if name in PERSONAL_FIELDS:
        return MASK if value else ""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if name in CHOICES:
        labels = {"order_type": OrderType, "channel": Channel, "status": Status,
                  "callback_resolution": Resolution, "callback_satisfaction": Satisfaction}[name]
        try:
            return labels(value).label
        except ValueError:
            return str(value)
    text = str(value)
    return text if len(text) <= 500 else text[:500] + "…"


class Ingestor:
    def __init__(self, source: Source, *, actor=None, actor_label: str = "", batch=None, now=None,
                 chunk_size: int | None = None, report_duplicates: bool = True, via: str = ""):
        self.source = source
        self.actor = actor
        self.actor_label = actor_label or (actor.get_username() if actor else "系统")
        self.batch = batch
        self.now = now or timezone.now()
        self.chunk_size = chunk_size or settings.JIDU_IMPORT_CHUNK
        self.reference = Reference()
        self.max_content = settings.JIDU_MAX_CONTENT_CHARS
        self._choices: dict[tuple[str, str], str] = {}
        self._tz = timezone.get_current_timezone()  # looked up once, not per value
        self.report_duplicates = report_duplicates
        self.via = via or (batch.kind if batch is not None else "other")

    # ---- cleaning ---------------------------------------------------------------------------
    def _choice(self, name: str, value: str, mapping: dict[str, str]) -> str:
        """parse_choice with a per-run memo: hotline files repeat the same few labels."""
        key = (name, value)
        code = self._choices.get(key)
        if code is None:
            code = self._choices[key] = parse_choice(value, mapping, field=LABELS[name])
        return code

    def clean(self, ref, raw: dict, outcome: Outcome | None = None) -> _Cleaned | Outcome:
        outcome = outcome or Outcome(ref=ref)
        errors, warnings = outcome.errors, outcome.warnings
        values = {k: v for k, v in raw.items() if k in LABELS}
        data: dict = {}

        order_no = _text(values.get("order_no"))
        outcome.order_no = order_no or ""
        source_code = _text(values.get("source"))
        if source_code and source_code not in (self.source.code, self.source.name):
            errors.append(Problem(LABELS["source"], source_code,
                                  f"记录的来源“{source_code}”与本次接入的来源“{self.source.code}”不一致"))
        for name in REQUIRED:
            if _text(values.get(name)) is None and not (name == "content" and _text(values.get("title"))):
                errors.append(Problem(LABELS[name], "", f"必填字段“{LABELS[name]}”为空"))
        if order_no and len(order_no) > 64:
            errors.append(Problem(LABELS["order_no"], order_no[:80], "工单编号超过64个字符"))

        for name in DATETIME_FIELDS:
            value = values.get(name)
            if _text(value) is None:
                continue
            try:
                data[name] = _aware(parse_datetime(value if not isinstance(value, str) else value.strip(),
                                                   field=LABELS[name]), self._tz)
            except ValueError as exc:
                errors.append(Problem(LABELS[name], _text(value) or "", str(exc)))

        for name, mapping in CHOICES.items():
            value = _text(values.get(name))
            if value is None:
                continue
            try:
                data[name] = self._choice(name, value, mapping)
            except ValueError as exc:
                if name == "channel":  # a channel we do not know is worth a note, not a rejection
                    data[name] = Channel.OTHER
                    warnings.append(Problem(LABELS[name], value, f"{exc}；已记为“其他”"))
                else:
                    errors.append(Problem(LABELS[name], value, str(exc)))

        for name in ["title", "content", "address", "hotline_category", "return_reason", "reply_text",
                     "caller_name", "caller_phone", "caller_id_number"]:
            value = _text(values.get(name))
            if value is None:
                continue
            limit = TEXT_LIMITS.get(name)
            if name in ("content", "reply_text", "return_reason") and len(value) > self.max_content:
                errors.append(Problem(LABELS[name], value[:50] + "…",
                                      f"内容长度{len(value)}字，超过上限{self.max_content}字"))
                continue
            if limit and len(value) > limit:
                if name in PERSONAL_FIELDS:
                    errors.append(Problem(LABELS[name], "", f"长度超过{limit}个字符"))
                    continue
                warnings.append(Problem(LABELS[name], value[:50] + "…", f"超过{limit}字，已截断"))
                value = value[:limit]
            data[name] = value
        if "content" not in data and "title" in data and _text(values.get("content")) is None:
            data["content"] = data["title"]
            warnings.append(Problem(LABELS["content"], "", "诉求内容为空，已用标题代替"))
        if "caller_id_number" in data:
            data["caller_id_number"] = data["caller_id_number"].upper()

        if errors:
            outcome.result = "error"
            return outcome

        flags: list[dict] = []
        area = None
        area_text = _text(values.get("area"))
        if area_text:
            area = self.reference.area(area_text)
            if area is None:
                flags.append({"code": "unknown_area", "field": "area", "value": area_text,
                              "message": f"区域“{area_text}”不在区划表中，请核实"})
                warnings.append(Problem(LABELS["area"], area_text, "区域不在区划表中：已保留原文并标记待核实"))
            data["area_text"] = area_text

        lead = None
        lead_text = _text(values.get("lead_department"))
        if lead_text:
            lead = self.reference.department(lead_text)
            if lead is None:
                flags.append({"code": "unknown_department", "field": "lead_department", "value": lead_text,
                              "message": f"主办单位“{lead_text}”不在部门表中，请核实"})
                warnings.append(Problem(LABELS["lead_department"], lead_text,
                                        "单位不在部门表中：已保留原文并标记待核实"))
        co: list[Department] = []
        co_text = _text(values.get("co_departments"))
        if co_text:
            for name in split_names(co_text):
                dept = self.reference.department(name)
                if dept is None:
                    flags.append({"code": "unknown_department", "field": "co_departments", "value": name,
                                  "message": f"协办单位“{name}”不在部门表中，请核实"})
                    warnings.append(Problem(LABELS["co_departments"], name,
                                            "单位不在部门表中：已保留原文并标记待核实"))
                elif dept != lead and dept not in co:
                    co.append(dept)
        if lead_text or co_text:
            data["departments_text"] = "；".join(filter(None, [lead_text, co_text]))[:300]

        version = data.pop("updated_at", None) or self.now
        return _Cleaned(ref=ref, order_no=order_no, data=data, version=version, lead=lead,
                        lead_given=lead_text is not None, co=co, co_given=co_text is not None, area=area,
                        area_given=area_text is not None, flags=flags, outcome=outcome)

    # ---- upserting ----------------------------------------------------------------------------
    def ingest(self, items: Iterable[tuple]) -> Iterator[Outcome]:
        """items: (ref, record) or (ref, record, warnings, error) tuples. Yields one Outcome each."""
        for outcomes in self.ingest_chunks(items):
            yield from outcomes

    def ingest_chunks(self, items: Iterable[tuple]) -> Iterator[list[Outcome]]:
        """Like ingest(), one list of outcomes per committed chunk (for progress reporting)."""
        analyzer = Analyzer(WorkOrder, OrderEvent, OrderCoDepartment)
        chunk: list[tuple] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= self.chunk_size:
                yield self._process(chunk)
                analyzer.add(len(chunk))
                chunk = []
        if chunk:
            yield self._process(chunk)

    def _process(self, chunk: list[tuple]) -> list[Outcome]:
        cleaned: list[_Cleaned] = []
        outcomes: list[Outcome] = []
        for item in chunk:
            ref, raw = item[0], item[1]
            outcome = Outcome(ref=ref)
            for note in (item[2] if len(item) > 2 and item[2] else []):
                outcome.warnings.append(Problem("", "", note))
            row_error = item[3] if len(item) > 3 else None
            if row_error:
                outcome.order_no = _text(raw.get("order_no")) or ""
                outcome.errors.append(Problem("", "", row_error))
                outcomes.append(outcome)
                continue
            result = self.clean(ref, raw, outcome)
            outcomes.append(outcome)
            if isinstance(result, _Cleaned):
                cleaned.append(result)
        texts: dict[int, tuple[str, str]] = {}
        for attempt in range(3):
            try:
                with transaction.atomic():
                    texts = self._upsert(cleaned)
                break
            except IntegrityError:
                # Another writer inserted one of these order numbers first: read again and retry.
                if attempt == 2:
                    raise
                for item in cleaned:
                    item.outcome.result, item.outcome.order_id = "error", None
        created = [o.order_id for o in outcomes if o.result == "created"]
        updated = [o.order_id for o in outcomes if o.result == "updated"]
        text_changed = [o.order_id for o in outcomes if o.result == "updated" and o.text_changed]
        if created or updated:
            orders_ingested.send(sender=type(self), source=self.source, batch=self.batch, via=self.via,
                                 created_ids=list(dict.fromkeys(created)), updated_ids=list(dict.fromkeys(updated)),
                                 text_changed_ids=list(dict.fromkeys(text_changed)),
                                 texts={pk: texts[pk] for pk in [*created, *text_changed] if pk in texts})
        return outcomes

    def _upsert(self, cleaned: list[_Cleaned]) -> dict[int, tuple[str, str]]:
        """Write the chunk; return {order id: (title, content)} as written, for the receivers."""
        if not cleaned:
            return {}
        numbers = {c.order_no for c in cleaned}
        existing = {o.order_no: o for o in WorkOrder.objects.filter(source=self.source, order_no__any=numbers)}
        held: dict[int, dict[int, OrderCoDepartment]] = {}
        if existing:
            held_rows = OrderCoDepartment.objects.filter(order_id__any=[o.pk for o in existing.values()])
            for a in held_rows.select_related("department"):
                held.setdefault(a.order_id, {})[a.department_id] = a
        new_orders: dict[str, WorkOrder] = {}
        seen_in_chunk: dict[str, object] = {}
        events: list[tuple[WorkOrder, dict]] = []
        dirty: dict[str, tuple[WorkOrder, dict]] = {}  # order_no → (order, fields before this chunk)
        dept_plans: dict[str, tuple[Department | None, list[Department]]] = {}
        batch_id = self.batch.pk if self.batch else None

        for c in cleaned:
            order = new_orders.get(c.order_no) or existing.get(c.order_no)
            is_new = c.order_no in new_orders or c.order_no not in existing
            earlier_ref = seen_in_chunk.get(c.order_no)
            if earlier_ref is None and order is not None and not is_new and batch_id \
                    and order.last_batch_id == batch_id:
                earlier_ref = order.last_batch_row
            if earlier_ref is not None and self.report_duplicates:
                c.outcome.warnings.append(Problem(LABELS["order_no"], c.order_no,
                                                  f"同一批次中工单编号重复（第{earlier_ref}行已出现），以后出现的为准"))
            seen_in_chunk[c.order_no] = c.ref
            if order is None:
                order = self._new_order(c)
                new_orders[c.order_no] = order
                c.outcome.result = "created"
                events.append((order, {"kind": OrderEvent.Kind.CREATED, "at": c.version}))
                dept_plans[c.order_no] = (c.lead, c.co)
                continue
            if c.version < order.source_version:
                c.outcome.result = "stale"
                c.outcome.warnings.append(Problem(
                    LABELS["updated_at"], timezone.localtime(c.version).strftime("%Y-%m-%d %H:%M:%S"),
                    "该记录比系统中已有版本更旧，未覆盖"))
                if not is_new:
                    events.append((order, {"kind": OrderEvent.Kind.STALE, "at": self.now,
                                           "note": f"收到较旧版本（{self.actor_label}），未覆盖"}))
                continue
            before = None if is_new else (dirty[c.order_no][1] if c.order_no in dirty else snapshot(order, TRACKED))
            changes = self._apply(order, c)
            current = dept_plans.get(c.order_no)
            if current is None and not is_new:
                current = (order.lead_department, [a.department for a in held.get(order.pk, {}).values()])
            lead = c.lead if c.lead_given else current[0]
            co = c.co if c.co_given else current[1]
            co = [d for d in co if d != lead]
            if (lead, sorted(d.pk for d in co)) != (current[0], sorted(d.pk for d in current[1])):
                changes.append(("departments", self._dept_label(*current), self._dept_label(lead, co)))
                order.lead_department = lead
                dept_plans[c.order_no] = (lead, co)
            order.source_version = c.version
            order.last_batch_id, order.last_batch_row = batch_id, c.ref if isinstance(c.ref, int) else None
            if is_new:
                c.outcome.result = "created"
                continue
            dirty[c.order_no] = (order, before)
            if changes:
                c.outcome.result = "updated"
                c.outcome.text_changed = any(name in ("title", "content") for name, *_ in changes)
                for name, old, new in changes:
                    if name in RAW_TEXT_FIELDS:  # mirrored by the resolved area/departments change
                        continue
                    kind = (OrderEvent.Kind.STATUS if name == "status" else
                            OrderEvent.Kind.ASSIGNED if name == "departments" else OrderEvent.Kind.CHANGED)
                    label = LABELS.get(name) or "承办单位"
                    events.append((order, {"kind": kind, "at": c.version, "field": label, "old_value": old,
                                           "new_value": new}))
            else:
                c.outcome.result = "unchanged"

        if new_orders:
            insert_many(WorkOrder, list(new_orders.values()))
            ids = dict(WorkOrder.objects.filter(source=self.source, order_no__any=list(new_orders))
                       .values_list("order_no", "pk"))
            for order_no, order in new_orders.items():
                order.pk = ids[order_no]
                order._state.adding = False
        if dirty:
            now = timezone.now()
            updates = []
            for order, before in dirty.values():
                fields = changed_fields(order, before)
                if fields - {"last_batch", "last_batch_row"}:
                    order.updated_at = now
                    fields.add("updated_at")
                updates.append((order, fields))
            update_changed(WorkOrder, updates)
        self._save_co_departments(dept_plans, new_orders, existing, held)
        actor_id = self.actor.pk if self.actor else None
        insert_many(OrderEvent, [build(OrderEvent, order_id=o.pk, actor_id=actor_id, actor_label=self.actor_label,
                                       recorded_at=self.now, **e) for o, e in events])
        by_no = {**existing, **new_orders}
        for c in cleaned:
            c.outcome.order_id = by_no[c.order_no].pk
        return {o.pk: (o.title, o.content) for o in by_no.values()}

    def _new_order(self, c: _Cleaned) -> WorkOrder:
        data = dict(c.data)  # plain fields by name (= attname)
        data.setdefault("status", Status.RECEIVED)
        data.setdefault("order_type", OrderType.OTHER)
        order = build(WorkOrder, source_id=self.source.pk, order_no=c.order_no, source_version=c.version,
                      last_batch_id=self.batch.pk if self.batch else None,
                      last_batch_row=c.ref if isinstance(c.ref, int) else None,
                      area_id=c.area.pk if c.area else None,
                      lead_department_id=c.lead.pk if c.lead else None, **data)
        order._state.fields_cache.update(source=self.source, area=c.area, lead_department=c.lead)
        order.caller_phone_index = crypto.blind_index(order.caller_phone)
        order.flags = list(c.flags)
        if order.due_at is None:
            self._compute_due(order)
        return order

    def _compute_due(self, order: WorkOrder) -> None:
        order.flags = [f for f in order.flags if f.get("code") != "calendar_missing"]
        try:
            order.due_at = worktime.deadline(order.received_at, order.order_type)
        except (worktime.CalendarYearMissing, worktime.TimeLimitMissing) as exc:
            order.due_at = None
            order.flags.append({"code": "calendar_missing", "field": "due_at", "value": "", "message": str(exc)})

    def _apply(self, order: WorkOrder, c: _Cleaned) -> list[tuple[str, str, str]]:
        changes = []
        for name, value in c.data.items():
            old = getattr(order, name)
            if old == value or (old in (None, "") and value in (None, "")):
                continue
            changes.append((name, _display(name, old), _display(name, value)))
            setattr(order, name, value)
            if name == "caller_phone":
                order.caller_phone_index = crypto.blind_index(value)
        if c.area_given and order.area != c.area:
            changes.append(("area", str(order.area or order.area_text or ""), str(c.area or c.data.get("area_text"))))
            order.area = c.area
        # Flags about what this record names are recomputed; other flags stay.
        replaced = {"unknown_area"} if c.area_given else set()
        if c.lead_given or c.co_given:
            replaced.add("unknown_department")
        order.flags = [f for f in order.flags if f.get("code") not in replaced] + c.flags
        if {name for name, *_ in changes} & {"received_at", "order_type"} and "due_at" not in c.data:
            self._compute_due(order)
        return changes

    @staticmethod
    def _dept_label(lead, co) -> str:
        parts = [f"主办：{lead}" if lead else "主办：未定"]
        if co:
            parts.append("协办：" + "、".join(str(d) for d in co))
        return "；".join(parts)

    def _save_co_departments(self, plans, new_orders, existing, held) -> None:
        if not plans:
            return
        to_delete, to_create = [], []
        for order_no, (_lead, co) in plans.items():
            order = new_orders.get(order_no) or existing[order_no]
            current = {} if order_no in new_orders else held.get(order.pk, {})
            wanted = {d.pk for d in co}
            to_delete += [a.pk for dept_id, a in current.items() if dept_id not in wanted]
            to_create += [OrderCoDepartment(order=order, department_id=d) for d in wanted - current.keys()]
        if to_delete:
            OrderCoDepartment.objects.filter(pk__in=to_delete).delete()
        if to_create:
            OrderCoDepartment.objects.bulk_create(to_create, batch_size=1000)


def summarize(outcomes: Iterable[Outcome]) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "stale": 0, "error": 0}
    for o in outcomes:
        counts[o.result] += 1
    return counts


def bump_batch(batch, outcomes: list[Outcome], *, bytes_read: int | None = None) -> None:
    """Record a chunk's outcomes on its batch: counters and row-level issues."""
    from jidu.intake.models import ImportBatch, ImportIssue

    counts = summarize(outcomes)
    issues = []
    for o in outcomes:
        for level, problems in (("error", o.errors), ("warning", o.warnings)):
            for p in problems:
                issues.append(ImportIssue(batch=batch, row=o.ref if isinstance(o.ref, int) else None,
                                          column=p.column, value=(p.value or "")[:500], reason=p.reason,
                                          level=level, order_no=o.order_no[:64]))
    ImportIssue.objects.bulk_create(issues, batch_size=1000)
    update = {
        "rows_total": F("rows_total") + len(outcomes),
        "created": F("created") + counts["created"],
        "updated": F("updated") + counts["updated"],
        "unchanged": F("unchanged") + counts["unchanged"],
        "stale": F("stale") + counts["stale"],
        "errors": F("errors") + counts["error"],
        "warnings": F("warnings") + sum(1 for i in issues if i.level == "warning"),
    }
    if bytes_read is not None:
        update["bytes_read"] = bytes_read
    ImportBatch.objects.filter(pk=batch.pk).update(**update)
