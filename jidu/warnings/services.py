"""Early warnings (预警抄报): run the detectors, turn findings into warnings (deduplicated), copy them
to the responsible departments and leaders, and the acknowledge → follow-up → close steps.

``run_detectors(now=None) -> list[Warning]`` is the entry point (management command
``detect_warnings``, the periodic job ``jidu.warnings.services.scan``, the demo and the benchmark).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from jidu.core import audit
from jidu.org.models import Department, ProblemType
from jidu.warnings.detectors import DETECTORS
from jidu.warnings.detectors.base import Finding
from jidu.warnings.models import (
    DetectorConfig, Dimension, Level, State, Warning, WarningAction, WarningOrder, level_rank,
)

log = logging.getLogger(__name__)

ORDER_LINK_LIMIT = 500
LEAD_SHARE = 0.1  # a lead department handling ≥ 10 % (and ≥ 2) of a warning's orders is copied


class WarningError(Exception):
    """A refused state change, with a Chinese message for the user."""


def detector_params() -> dict[str, dict]:
    """Enabled detectors → their parameters (the DetectorConfig rows; defaults file when none)."""
    rows = list(DetectorConfig.objects.all())
    if not rows:
        from jidu.warnings.defaults import default_detectors

        return {d["code"]: d.get("params", {}) for d in default_detectors() if d.get("enabled", True)}
    return {r.code: r.params or {} for r in rows if r.enabled}


def run_detectors(now: dt.datetime | None = None, *, only: list[str] | None = None, notify: bool = True,
                  timings: dict | None = None) -> list[Warning]:
    """Run the enabled detectors as of ``now`` and return the warnings raised or updated.
    Re-running at the same moment changes nothing (one ongoing warning per kind + key)."""
    now = now or timezone.now()
    params = detector_params()
    touched: list[Warning] = []
    lookups = None
    for code, detect in DETECTORS.items():
        if code not in params or (only and code not in only):
            continue
        started = time.perf_counter()
        try:
            findings = detect(now, params[code])
        except Exception:  # one detector failing must not stop the others
            log.exception("warning detector %s failed", code)
            findings = []
        seen = set()
        # One transaction per detector: each warning's own atomic block becomes a savepoint, so a
        # run that writes a hundred warnings commits once instead of a hundred times.
        with transaction.atomic():
            if findings and lookups is None:
                lookups = Lookups()
            for f in findings:
                w = upsert(f, now, params[code], notify=notify, lookups=lookups)
                seen.add(w.pk)
                touched.append(w)
            end_stale(code, now, params[code], keep=seen)
        if timings is not None:
            timings[code] = timings.get(code, 0.0) + time.perf_counter() - started
    return touched


def scan() -> str:
    """Periodic job callable: run the detectors now; a short summary."""
    warnings = run_detectors()
    counts = Counter(w.kind for w in warnings)
    return "预警检测：" + ("，".join(f"{k} {n}" for k, n in sorted(counts.items())) or "无异常")


# --------------------------------------------------------------------------- findings → warnings

class Lookups:
    """Reference data a run reads once instead of once per warning: the fields of each problem
    type, the active city-level departments of each field, the department ids that exist."""

    def __init__(self):
        self.problem_fields: dict[int, set[int]] = {}
        for pid, fid in ProblemType.fields.through.objects.values_list("problemtype_id", "field_id"):
            self.problem_fields.setdefault(pid, set()).add(fid)
        self.city_by_field: dict[int, set[int]] = {}
        for pk, fid in Department.objects.filter(level=Department.Level.CITY, active=True,
                                                 fields__isnull=False).values_list("pk", "fields"):
            self.city_by_field.setdefault(fid, set()).add(pk)
        self.departments = set(Department.objects.values_list("pk", flat=True))


def copy_departments(f: Finding, order_ids: list[int], lookups: Lookups | None = None) -> set[int]:
    """Departments a warning is copied to: its own (deadline: the department concerned), the lead
    departments of its orders that carry a real share of them, and the city-level departments
    responsible for its field and problem types (org.Department.fields)."""
    from jidu.orders.models import WorkOrder

    lookups = lookups or Lookups()
    ids = set(f.department_ids)
    if order_ids:
        leads = Counter(WorkOrder.objects.filter(pk__in=order_ids[:ORDER_LINK_LIMIT], lead_department__isnull=False)
                        .values_list("lead_department_id", flat=True))
        total = sum(leads.values())
        ids.update(d for d, n in leads.items() if (n >= 2 and n >= LEAD_SHARE * total) or total == 1)
    field_ids = set(f.field_ids)
    for pid in f.problem_ids:
        field_ids.update(lookups.problem_fields.get(pid, ()))
    for fid in field_ids:
        ids.update(lookups.city_by_field.get(fid, ()))
    return ids & lookups.departments


def _leaders_due(level: str, params: dict) -> bool:
    threshold = params.get("leaders_from_level", "yellow")
    return level_rank(level) >= level_rank(threshold)


def upsert(f: Finding, now: dt.datetime, params: dict, *, notify: bool = True,
           lookups: Lookups | None = None) -> Warning:
    """Create the warning for a finding, or update the ongoing one of the same kind and key:
    figures and evidence replaced, orders and departments added, level only raised."""
    order_ids = list(dict.fromkeys(f.order_ids))[:ORDER_LINK_LIMIT]
    departments = copy_departments(f, order_ids, lookups)
    values = dict(title=f.title[:200], summary=f.summary, key_label=f.key_label[:200], evidence=f.evidence,
                  score=f.score, observed=f.observed, expected=f.expected, window_start=f.window_start,
                  window_end=f.window_end)
    created, escalated = False, False
    for _attempt in range(2):
        try:
            with transaction.atomic():
                w = (Warning.objects.select_for_update()
                     .filter(kind=f.kind, dimension=f.dimension, key=f.key, ongoing=True).first())
                if w is None:
                    w = Warning.objects.create(kind=f.kind, dimension=f.dimension, key=f.key, level=f.level,
                                               first_detected_at=now, last_detected_at=now, **values)
                    created = True
                    WarningAction.objects.create(warning=w, kind=WarningAction.Kind.RAISED, at=now, note=w.title)
                else:
                    if now < w.last_detected_at:  # an older re-run (benchmark replays): keep the newer figures
                        return w
                    same = w.last_detected_at == now
                    for k, v in values.items():
                        setattr(w, k, v)
                    w.last_detected_at = now
                    w.detections += 0 if same else 1
                    if level_rank(f.level) > level_rank(w.level):
                        old = w.get_level_display()
                        w.level = f.level
                        escalated = True
                        if w.state == State.CLOSED:
                            w.state = State.NEW  # a closed warning that gets worse is open again
                        WarningAction.objects.create(warning=w, kind=WarningAction.Kind.ESCALATED, at=now,
                                                     note=f"{old} → {w.get_level_display()}：{w.title}")
                    w.save()
                known = set(WarningOrder.objects.filter(warning=w).values_list("order_id", flat=True))
                WarningOrder.objects.bulk_create([WarningOrder(warning=w, order_id=o, added_at=now)
                                                  for o in order_ids if o not in known], ignore_conflicts=True)
                had = set(w.departments.values_list("pk", flat=True))
                if departments - had:
                    w.departments.add(*(departments - had))
                leaders = _leaders_due(w.level, params)
                if leaders and not w.leaders_copied:
                    Warning.objects.filter(pk=w.pk).update(leaders_copied=True)
                    w.leaders_copied = True
            break
        except IntegrityError:  # another run created the ongoing warning a moment ago: update that one
            continue
    if notify:
        _notify(w, created=created, escalated=escalated)
    return w


def _notify(w: Warning, *, created: bool, escalated: bool) -> None:
    """Copy (抄报) by notification: the departments, the supervisors, and leaders when due.
    The dedupe key carries the level: an escalation is news, an update of the same level is not."""
    try:
        from jidu.notifications.services import notify
    except ImportError:  # pragma: no cover - the notifications app is part of the product
        log.warning("notifications app missing: warning %s not sent", w.pk)
        return
    recipients: list = list(w.departments.all()) + ["supervisor"]
    if w.leaders_copied:
        recipients.append("leader")
    verb = "预警升级" if escalated and not created else "预警"
    notify(recipients, kind=f"warning.{w.kind}", title=f"{verb}｜{w.get_level_display()}｜{w.title}"[:200],
           body=w.summary, url=reverse("warnings:detail", args=[w.pk]), urgent=w.level == Level.SEVERE,
           dedupe_key=f"warning:{w.pk}:{w.level}", obj=w)


def end_stale(kind: str, now: dt.datetime, params: dict, keep: set[int]) -> int:
    """Ongoing warnings of a detector not seen for ``quiet_hours`` stop being ongoing (the episode is
    over; a recurrence raises a new warning). Their handling state is left alone."""
    quiet = dt.timedelta(hours=float(params.get("quiet_hours", 48)))
    stale = list(Warning.objects.filter(kind=kind, ongoing=True, last_detected_at__lt=now - quiet)
                 .exclude(pk__in=keep))
    for w in stale:
        Warning.objects.filter(pk=w.pk).update(ongoing=False)
        WarningAction.objects.create(warning=w, kind=WarningAction.Kind.ENDED, at=now,
                                     note=f"{params.get('quiet_hours', 48)}小时内未再检出")
    return len(stale)


# --------------------------------------------------------------------------- handling

def _user_dept(user):
    return user.department if getattr(user, "department_id", None) else None


def acknowledge(w: Warning, user, note: str = "", request=None) -> Warning:
    if w.state == State.CLOSED:
        raise WarningError("预警已关闭，无需签收。")
    now = timezone.now()
    with transaction.atomic():
        Warning.objects.filter(pk=w.pk, state=State.NEW).update(
            state=State.ACKNOWLEDGED, acknowledged_by=user, acknowledged_at=now, acknowledge_note=note)
        WarningAction.objects.create(warning=w, kind=WarningAction.Kind.ACKNOWLEDGED, at=now, by=user,
                                     department=_user_dept(user), note=note)
    audit.record(audit.AuditLog.Action.CHANGE, user=user, request=request, obj=w, event="warning_acknowledge",
                 note=note[:200])
    w.refresh_from_db()
    return w


def follow_up(w: Warning, user, action: str, request=None) -> Warning:
    action = (action or "").strip()
    if not action:
        raise WarningError("请填写跟进措施。")
    if w.state == State.CLOSED:
        raise WarningError("预警已关闭，不能再填写跟进措施。")
    now = timezone.now()
    with transaction.atomic():
        w = Warning.objects.select_for_update().get(pk=w.pk)
        dept = _user_dept(user)
        line = f"{now:%Y-%m-%d %H:%M} {dept.name if dept else user}：{action}"
        w.follow_up = f"{w.follow_up}\n{line}".strip()
        w.followed_up_by, w.followed_up_at = user, now
        if w.state in (State.NEW, State.ACKNOWLEDGED):
            if w.state == State.NEW:
                w.acknowledged_by, w.acknowledged_at = user, now
            w.state = State.FOLLOWED_UP
        w.save()
        WarningAction.objects.create(warning=w, kind=WarningAction.Kind.FOLLOWED_UP, at=now, by=user,
                                     department=dept, note=action)
    audit.record(audit.AuditLog.Action.CHANGE, user=user, request=request, obj=w, event="warning_follow_up",
                 text=action[:200])
    return w


def close(w: Warning, user, note: str = "", request=None) -> Warning:
    if w.state == State.CLOSED:
        raise WarningError("预警已关闭。")
    note = (note or "").strip()
    if not note:
        raise WarningError("请填写关闭说明。")
    now = timezone.now()
    with transaction.atomic():
        Warning.objects.filter(pk=w.pk).update(state=State.CLOSED, closed_by=user, closed_at=now, close_note=note)
        WarningAction.objects.create(warning=w, kind=WarningAction.Kind.CLOSED, at=now, by=user,
                                     department=_user_dept(user), note=note)
    audit.record(audit.AuditLog.Action.CHANGE, user=user, request=request, obj=w, event="warning_close",
                 note=note[:200])
    w.refresh_from_db()
    return w


def filter_warnings(qs, data: dict):
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("level"):
        qs = qs.filter(level=data["level"])
    if data.get("state") == "open":
        qs = qs.exclude(state=State.CLOSED)
    elif data.get("state"):
        qs = qs.filter(state=data["state"])
    if data.get("ongoing") == "yes":
        qs = qs.filter(ongoing=True)
    if data.get("date_from"):
        qs = qs.filter(last_detected_at__gte=timezone.make_aware(dt.datetime.combine(data["date_from"], dt.time())))
    if data.get("date_to"):
        qs = qs.filter(first_detected_at__lt=timezone.make_aware(
            dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time())))
    return qs


def scope_q(dept_ids: list[int]) -> Q:
    return Q(departments__in=dept_ids)


__all__ = ["run_detectors", "scan", "upsert", "acknowledge", "follow_up", "close", "WarningError", "Dimension"]
