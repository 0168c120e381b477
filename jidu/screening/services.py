"""Screening orders: model + rules + thresholds + people's corrections → OrderScreening.

Precedence for every label: a person's correction (latest per order and label) > a rule that
forces or vetoes (smaller priority number first; at equal priority a veto beats a force) > the
model under the label's thresholds (score ≥ apply_at → applied, ≥ suggest_at → suggested, below →
pending for a person). A suggesting rule fills a label the model left pending or only suggested;
if the model applied another value, the label drops to "suggested" so a person looks. Any veto
on a value beats any suggestion of it.

Binary labels (enforcement, tourism) and kind: a veto of one value applies the other. Field: a
vetoed value gives way to the model's next candidate. Problems are decided value by value.

Too little text: the model is not asked; labels not decided by a rule or person are "too_short".
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jidu.core import bulk
from jidu.orders.models import OrderEvent, WorkOrder
from jidu.org.models import Field, ProblemType
from jidu.screening import engine, entities
from jidu.screening.models import (
    Correction,
    Label,
    LabelThreshold,
    OrderProblem,
    OrderScreening,
    Provenance,
    ReviewState,
)
from jidu.screening.rules import BINARY_LABELS, NO, YES, Doc, active_rules, match_all, normalize_value
from jidu.screening.signals import orders_screened

log = logging.getLogger(__name__)

DEFAULT_THRESHOLDS = (0.5, 0.8)
BATCH_SIZE = 1000
ACTOR_LABEL = "线索筛查"
LABEL_NAMES = {"enforcement": "涉执法", "kind": "类别", "field": "领域", "problem": "问题类型", "tourism": "涉旅"}
KIND_NAMES = dict(OrderScreening.Kind.choices)
_RANK = {ReviewState.TOO_SHORT: 0, ReviewState.PENDING: 0, ReviewState.SUGGESTED: 1, ReviewState.APPLIED: 2,
         ReviewState.CONFIRMED: 3}
_BY_NAMES = dict(Provenance.choices)
UPDATE_FIELDS = ["model_version", "enforcement", "enforcement_score", "kind", "kind_score", "field", "field_score",
                 "field_top", "tourism", "tourism_score", "labels", "summary", "needs_rescreen", "entities",
                 "too_short", "state", "provenance", "explanation", "rules_applied", "screened_at"]


# ---- decisions ---------------------------------------------------------------------------------
@dataclass
class LabelDecision:
    value: object = None  # "yes"/"no" (binary), kind code, field or problem name; None = undecided
    score: float | None = None  # confidence in `value` (model), None for rules and people
    state: str = ReviewState.PENDING
    by: str = Provenance.MODEL
    rule: str | None = None
    evidence: str | None = None
    guess: object = None  # the model's value when below the suggest threshold
    note: str = ""

    def as_json(self) -> dict:
        out = {}
        for key in _DECISION_KEYS:
            value = getattr(self, key)
            if value is not None and value != "":
                out[key] = value
        return out

    @classmethod
    def from_json(cls, data: dict | None) -> LabelDecision | None:
        if not data:
            return None
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


_DECISION_KEYS = ("value", "score", "state", "by", "rule", "evidence", "guess", "note")


class Thresholds:
    def __init__(self):
        self.table = {(t.label, t.value): (t.suggest_at, t.apply_at) for t in LabelThreshold.objects.all()}

    def get(self, label: str, value) -> tuple[float, float]:
        return self.table.get((label, str(value))) or self.table.get((label, "")) or DEFAULT_THRESHOLDS

    def state(self, label: str, value, score: float | None) -> str:
        if score is None:
            return ReviewState.PENDING
        suggest_at, apply_at = self.get(label, value)
        if score >= apply_at:
            return ReviewState.APPLIED
        if score >= suggest_at:
            return ReviewState.SUGGESTED
        return ReviewState.PENDING


def _other(label: str, value: str) -> str:
    if label == "kind":
        return "conduct" if value == "violation" else "violation"
    return NO if value == YES else YES


def decide_label(label: str, model: tuple | None, alternatives: list[tuple], hits, correction, thresholds: Thresholds,
                 too_short: bool) -> LabelDecision:
    """One single-valued label. ``model`` = (value, confidence) or None; ``hits`` = rule hits for
    any label (sorted by priority); ``correction`` = the person's value or None."""
    if correction is not None:
        return LabelDecision(value=correction, state=ReviewState.CONFIRMED, by=Provenance.PERSON)
    hits = [h for h in hits if h.rule.label == label]
    vetoed: set = set()
    for h in hits:
        r = h.rule
        if r.effect == "veto":
            vetoed.add(r.value)
            if label in BINARY_LABELS or label == "kind":
                return LabelDecision(value=_other(label, r.value), state=ReviewState.APPLIED, by=Provenance.RULE,
                                     rule=r.name, evidence=h.evidence, note="否决" + _display(label, r.value))
        elif r.effect == "force" and r.value not in vetoed:
            return LabelDecision(value=r.value, state=ReviewState.APPLIED, by=Provenance.RULE, rule=r.name,
                                 evidence=h.evidence)
    decision = LabelDecision(state=ReviewState.TOO_SHORT if too_short else ReviewState.PENDING)
    if not too_short and model is not None and model[0] not in (None, ""):
        candidates = [model, *alternatives]
        chosen = next((c for c in candidates if c[0] not in vetoed), None)
        if chosen is not None:
            state = thresholds.state(label, chosen[0], chosen[1])
            decision.score = chosen[1]
            if state == ReviewState.PENDING:
                decision.guess = chosen[0]
            else:
                decision.value, decision.state = chosen[0], state
            if chosen is not candidates[0]:
                decision.note = f"模型首选“{_display(label, model[0])}”被规则否决"
    for h in hits:
        r = h.rule
        if r.effect != "suggest" or r.value in vetoed:
            continue
        if decision.state == ReviewState.APPLIED:
            if decision.value != r.value:
                decision.state = ReviewState.SUGGESTED
                decision.note = f"规则“{r.name}”建议“{_display(label, r.value)}”，与模型不一致，待确认"
        else:
            model_score = next((c[1] for c in [model, *alternatives] if c and c[0] == r.value), None)
            decision = LabelDecision(value=r.value, score=model_score, state=ReviewState.SUGGESTED,
                                     by=Provenance.RULE, rule=r.name, evidence=h.evidence)
        break
    return decision


@dataclass
class ProblemDecision:
    name: str
    score: float | None
    state: str
    by: str
    rule: str | None = None
    evidence: str | None = None


def decide_problems(model_problems: list[tuple], hits, correction, thresholds: Thresholds,
                    too_short: bool) -> list[ProblemDecision]:
    if correction is not None:
        return [ProblemDecision(n, None, ReviewState.CONFIRMED, Provenance.PERSON) for n in correction]
    hits = [h for h in hits if h.rule.label == "problem"]
    decisive = {}
    for h in hits:
        if h.rule.effect in ("force", "veto"):
            decisive.setdefault(h.rule.value, h)
    chosen: dict[str, ProblemDecision] = {}
    for name, h in decisive.items():
        if h.rule.effect == "force":
            chosen[name] = ProblemDecision(name, None, ReviewState.APPLIED, Provenance.RULE, h.rule.name, h.evidence)
    if not too_short:
        for name, score in model_problems:
            if name in decisive or name in chosen:
                continue
            state = thresholds.state("problem", name, score)
            if state != ReviewState.PENDING:
                chosen[name] = ProblemDecision(name, score, state, Provenance.MODEL)
    vetoed = {n for n, h in decisive.items() if h.rule.effect == "veto"}
    for h in hits:
        name = h.rule.value
        if h.rule.effect == "suggest" and name not in vetoed and name not in chosen:
            score = next((s for n, s in model_problems if n == name), None)
            chosen[name] = ProblemDecision(name, score, ReviewState.SUGGESTED, Provenance.RULE, h.rule.name,
                                           h.evidence)
    return list(chosen.values())


def _display(label: str, value) -> str:
    if value is None or value == "":
        return "（无）"
    if label in BINARY_LABELS:
        return "是" if value in (YES, True) else "否"
    if label == "kind":
        return KIND_NAMES.get(value, str(value))
    if label == "problem" and isinstance(value, list):
        return "、".join(value) or "（无）"
    return str(value)


def _by_text(d: LabelDecision) -> str:
    if d.by == Provenance.PERSON:
        return "人工确认"
    if d.by == Provenance.RULE:
        return f"规则“{d.rule}”"
    return f"模型{d.score:.2f}" if d.score is not None else "模型"


def overall_state(labels: dict[str, LabelDecision]) -> str:
    enf = labels.get("enforcement")
    if enf is None:
        return ReviewState.PENDING
    keys = [enf]
    if enf.value == YES and labels.get("field") is not None:
        keys.append(labels["field"])
    if any(d.state == ReviewState.TOO_SHORT for d in keys):
        return ReviewState.TOO_SHORT
    return min((d.state for d in keys), key=lambda s: _RANK.get(s, 0))


def make_summary(labels: dict[str, LabelDecision], problems: list[str]) -> str:
    enf = labels.get("enforcement")
    if enf is None or enf.value is None:
        if enf is not None and enf.state == ReviewState.TOO_SHORT:
            head = "内容过少，待人工研判"
        elif enf is not None and enf.guess is not None and enf.score is not None:
            head = f"待人工研判（模型倾向{'涉' if enf.guess == YES else '不涉'}执法{enf.score:.2f}）"
        else:
            head = "待人工研判"
    else:
        suffix = "，建议" if enf.state == ReviewState.SUGGESTED else ""
        head = f"{'涉执法' if enf.value == YES else '不涉执法'}（{_by_text(enf)}{suffix}）"
    parts = [f"筛查：{head}"]
    fld = labels.get("field")
    if fld is not None and fld.value:
        parts.append(f"领域 {fld.value}")
    if problems:
        parts.append("问题 " + "、".join(problems[:3]) + ("等" if len(problems) > 3 else ""))
    tour = labels.get("tourism")
    if tour is not None and tour.value == YES:
        parts.append("涉旅")
    return "，".join(parts)[:300]


_STATE_NAMES = dict(ReviewState.choices)  # (`.choices` walks the enum on every access)


def make_explanation(labels: dict[str, LabelDecision], problems: list[ProblemDecision], model_text: str,
                     found: dict) -> str:
    lines = []
    if model_text:
        lines.append(model_text)
    states = _STATE_NAMES
    for label in ("enforcement", "kind", "field", "tourism"):
        d = labels.get(label)
        if d is None:
            continue
        shown = _display(label, d.value) if d.value is not None else (
            f"倾向“{_display(label, d.guess)}”" if d.guess is not None else "未定")
        line = f"{LABEL_NAMES[label]}：{shown}（{_by_text(d)}，{states.get(d.state, d.state)}）"
        if d.evidence:
            line += f"，命中“{d.evidence}”"
        if d.note:
            line += f"；{d.note}"
        lines.append(line)
    if problems:
        bits = []
        for p in problems:
            src = "人工确认" if p.by == Provenance.PERSON else f"规则“{p.rule}”命中“{p.evidence}”" \
                if p.by == Provenance.RULE else f"模型{p.score:.2f}"
            bits.append(f"{p.name}（{src}{'，建议' if p.state == ReviewState.SUGGESTED else ''}）")
        lines.append("问题类型：" + "；".join(bits))
    masked = []
    if found.get("phones"):
        masked.append(f"电话号码{found['phones']}个")
    if found.get("id_numbers"):
        masked.append(f"身份证号{found['id_numbers']}个")
    if masked:
        lines.append("文中含" + "、".join(masked) + "（显示时已遮蔽）")
    return "\n".join(lines)


# ---- corrections -------------------------------------------------------------------------------
def latest_corrections(order_ids) -> dict[int, dict[str, object]]:
    out: dict[int, dict[str, object]] = {}
    rows = (Correction.objects.filter(order_id__any=list(order_ids)).order_by("order_id", "label", "-at", "-id")
            .values_list("order_id", "label", "value"))
    for order_id, label, value in rows:
        out.setdefault(order_id, {}).setdefault(label, value)
    return out


def _correction_as_decision_value(label: str, value):
    if label in BINARY_LABELS:
        return YES if value is True or normalize_value(label, value) == YES else NO
    if label == "problem":
        return list(value or [])
    return value or None


def clean_correction_value(label: str, value):
    """Validate and normalise a person's value: bool (enforcement, tourism), kind code or "",
    field name, list of problem names."""
    if label not in Label.values:
        raise ValidationError("未知的标签")
    if label in BINARY_LABELS:
        if isinstance(value, bool):
            return value
        v = normalize_value(label, value)
        if v not in (YES, NO):
            raise ValidationError("请选择“是”或“否”")
        return v == YES
    if label == "kind":
        v = normalize_value(label, value)
        if v not in ("", "violation", "conduct"):
            raise ValidationError("类别只能是“举报违法行为”或“投诉执法行为”")
        return v
    if label == "field":
        name = str(value or "").strip()
        if not Field.objects.filter(name=name).exists():
            raise ValidationError(f"没有名为“{name}”的执法领域")
        return name
    names = [str(v).strip() for v in (value or []) if str(v).strip()]
    known = set(ProblemType.objects.filter(name__in=names).values_list("name", flat=True))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValidationError("没有这些问题类型：" + "、".join(unknown))
    return list(dict.fromkeys(names))


def current_value(screening: OrderScreening | None, label: str):
    if screening is None or screening.pk is None:
        return None
    if label == "enforcement":
        return screening.enforcement
    if label == "tourism":
        return screening.tourism
    if label == "kind":
        return screening.kind or None
    if label == "field":
        return screening.field.name if screening.field_id else None
    return list(screening.problems.values_list("problem__name", flat=True))


def decisions_of(screening: OrderScreening) -> dict[str, LabelDecision]:
    return {k: d for k, v in (screening.labels or {}).items() if (d := LabelDecision.from_json(v)) is not None}


def correct(order: WorkOrder, label: str, value, *, user, note: str = "") -> OrderScreening:
    """Record a person's decision on one label and apply it at once. It wins over rules and the
    model now and in every later re-screening."""
    value = clean_correction_value(label, value)
    with transaction.atomic():
        screening = OrderScreening.objects.select_for_update().filter(order=order).first()
        if screening is None:
            screening = OrderScreening.objects.create(order=order, needs_rescreen=True)
        previous = current_value(screening, label)
        Correction.objects.create(order=order, label=label, value=value, previous=previous, by=user, note=note[:200])
        labels = decisions_of(screening)
        decided = _correction_as_decision_value(label, value)
        person = LabelDecision(value=decided, state=ReviewState.CONFIRMED, by=Provenance.PERSON)
        if label == "enforcement":
            screening.enforcement = value
            labels["enforcement"] = person
            if not value and labels.get("kind") and labels["kind"].by != Provenance.PERSON:
                labels.pop("kind")
                screening.kind, screening.kind_score = "", None
        elif label == "tourism":
            screening.tourism = value
            labels["tourism"] = person
        elif label == "kind":
            screening.kind = value
            labels["kind"] = person if value else LabelDecision(state=ReviewState.CONFIRMED, by=Provenance.PERSON)
        elif label == "field":
            screening.field = Field.objects.get(name=value)
            labels["field"] = person
        else:
            screening.problems.all().delete()
            pts = {p.name: p for p in ProblemType.objects.filter(name__in=value)}
            OrderProblem.objects.bulk_create([
                OrderProblem(screening=screening, problem=pts[n], provenance=Provenance.PERSON,
                             state=ReviewState.CONFIRMED) for n in value])
        provenance = dict(screening.provenance or {})
        provenance[label] = Provenance.PERSON
        screening.provenance = provenance
        screening.labels = {k: d.as_json() for k, d in labels.items()}
        screening.state = overall_state(labels) if "enforcement" in labels else screening.state
        problems = list(screening.problems.order_by("id").values_list("problem__name", flat=True))
        screening.summary = make_summary(labels, problems)
        who = str(user) if user else "系统"
        line = f"人工确认（{who} {timezone.localtime():%Y-%m-%d %H:%M}）：{LABEL_NAMES[label]} {_display(label, decided)}"
        screening.explanation = "\n".join(filter(None, [screening.explanation, line]))[-4000:]
        screening.save()
        OrderEvent.objects.create(
            order=order, kind=OrderEvent.Kind.NOTE, actor=user if user and user.pk else None,
            actor_label=ACTOR_LABEL,
            note=f"筛查人工确认：{LABEL_NAMES[label]} {_display(label, decided)}"
                 f"（原：{_display(label, _correction_as_decision_value(label, previous) if previous is not None else None)}）")
    orders_screened.send_robust(sender=Context, order_ids=[order.pk], changed_ids=[order.pk])
    return screening


# ---- screening ---------------------------------------------------------------------------------
class Context:
    """What one screening run needs, loaded once: screener, rules, thresholds, name maps."""

    def __init__(self, screener=None, *, use_default: bool = True):
        self.screener = screener if screener is not None else (engine.get_screener() if use_default else None)
        self.model_version = engine.model_version_for(self.screener)
        self.rules = active_rules()
        self.thresholds = Thresholds()
        self.fields = dict(Field.objects.values_list("name", "id"))
        self.problems = dict(ProblemType.objects.values_list("name", "id"))


def _model_choice(flag, p_yes):
    if flag is None and p_yes is None:
        return None
    value = flag if flag is not None else p_yes >= 0.5
    if p_yes is None:
        return (YES if value else NO, None)
    return (YES, p_yes) if value else (NO, 1 - p_yes)


def _decide_order(order_id, title, content, pred, found, hits, corrections, ctx: Context, now=None):
    short = engine.text_too_short(title, content) or bool(pred and pred.too_short)
    th = ctx.thresholds
    labels: dict[str, LabelDecision] = {}
    labels["enforcement"] = decide_label(
        "enforcement", _model_choice(pred.enforcement, pred.enforcement_score) if pred else None, [], hits,
        _correction_as_decision_value("enforcement", corrections["enforcement"])
        if "enforcement" in corrections else None, th, short)
    if "kind" in corrections:
        labels["kind"] = LabelDecision(value=corrections["kind"] or None, state=ReviewState.CONFIRMED,
                                       by=Provenance.PERSON)
    elif labels["enforcement"].value == YES:
        model_kind = (pred.kind, pred.kind_score) if pred and pred.kind else None
        alts = [(_other("kind", pred.kind), 1 - (pred.kind_score or 0.5))] if model_kind else []
        labels["kind"] = decide_label("kind", model_kind, alts, hits, None, th, short)
    if pred and pred.field:
        top = [(n, s) for n, s in pred.field_top if n != pred.field]
        model_field = (pred.field, pred.field_score if pred.field_score is not None else
                       next((s for n, s in pred.field_top if n == pred.field), None))
    else:
        top, model_field = [], None
    labels["field"] = decide_label("field", model_field, top, hits, corrections.get("field"), th, short)
    labels["tourism"] = decide_label(
        "tourism", _model_choice(pred.tourism, pred.tourism_score) if pred else None, [], hits,
        _correction_as_decision_value("tourism", corrections["tourism"]) if "tourism" in corrections else None,
        th, short)
    problems = decide_problems(pred.problems if pred else [], hits, corrections.get("problem"), th, short)
    problems = [p for p in problems if p.name in ctx.problems]

    field_dec = labels["field"]
    field_id = ctx.fields.get(field_dec.value) if field_dec.value else None
    if field_dec.value and field_id is None:
        log.warning("screening field %r is not configured", field_dec.value)
        labels["field"] = LabelDecision(guess=field_dec.value, score=field_dec.score,
                                        state=ReviewState.PENDING, note="该领域未配置")
    kind_dec = labels.get("kind")
    provenance = {k: d.by for k, d in labels.items() if d.value is not None or d.by == Provenance.PERSON}
    if problems:
        provenance["problem"] = min((p.by for p in problems),
                                    key=lambda b: {Provenance.PERSON: 0, Provenance.RULE: 1}.get(b, 2))
    elif "problem" in corrections:
        provenance["problem"] = Provenance.PERSON

    def score_for(dec: LabelDecision, model_value, model_score):
        return model_score if dec.value is not None and dec.value == model_value else dec.score

    screening = bulk.build(
        OrderScreening,
        order_id=order_id, model_version_id=ctx.model_version.pk if pred is not None and ctx.model_version else None,
        enforcement=None if labels["enforcement"].value is None else labels["enforcement"].value == YES,
        enforcement_score=pred.enforcement_score if pred and not short else None,
        kind=(kind_dec.value or "") if kind_dec else "",
        kind_score=score_for(kind_dec, pred.kind, pred.kind_score) if kind_dec and pred else None,
        field_id=field_id,
        field_score=score_for(labels["field"], pred.field, model_field[1] if model_field else None) if pred else None,
        field_top=[[n, round(float(s), 4)] for n, s in (pred.field_top if pred and not short else [])],
        tourism=None if labels["tourism"].value is None else labels["tourism"].value == YES,
        tourism_score=pred.tourism_score if pred and not short else None,
        labels={k: d.as_json() for k, d in labels.items()},
        summary=make_summary(labels, [p.name for p in problems]),
        needs_rescreen=pred is None and not short,
        entities=found, too_short=short, state=overall_state(labels), provenance=provenance,
        explanation=make_explanation(labels, problems, pred.explanation if pred and not short else "", found),
        rules_applied=[{"id": h.rule.id, "name": h.rule.name, "label": h.rule.label, "value": h.rule.value,
                        "effect": h.rule.effect, "evidence": h.evidence} for h in hits],
        screened_at=now or timezone.now(),
    )
    return screening, problems


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def screen_orders(order_ids, *, screener=None, batch_size: int = BATCH_SIZE, context: Context | None = None,
                  texts: dict[int, tuple[str, str]] | None = None) -> dict:
    """Screen the given orders (model in batches, then rules, thresholds, corrections) and write
    their OrderScreening and OrderProblem rows; a changed result goes on the order's timeline.
    `texts`: {order id: (title, content)} the caller has just written (intake passes them); a
    chunk with an order missing from it is read from the database."""
    started = time.monotonic()
    ids = list(dict.fromkeys(int(i) for i in order_ids))
    ctx = context or Context(screener)
    stats = {"screened": 0, "changed": 0, "failed": 0, "model": ctx.model_version.version if ctx.model_version else None}
    for chunk in _chunks(ids, max(1, batch_size)):
        _screen_chunk(chunk, ctx, stats, texts)
    stats["seconds"] = round(time.monotonic() - started, 3)
    return stats


def _screen_chunk(chunk: list[int], ctx: Context, stats: dict, texts: dict | None = None) -> None:
    if texts and all(pk in texts for pk in chunk):
        rows = [(pk, *texts[pk]) for pk in chunk]
    else:
        rows = list(WorkOrder.objects.filter(pk__any=chunk).values_list("pk", "title", "content"))
    if not rows:
        return
    pairs = [(t or "", c or "") for _, t, c in rows]
    preds = engine.predict_many(ctx.screener, pairs)
    found_all = entities.extract_many(pairs)
    docs = [Doc(t, c) for t, c in pairs]
    hits_all = [match_all(ctx.rules, d) for d in docs]
    order_ids = [pk for pk, _, _ in rows]
    with transaction.atomic():
        corrections = latest_corrections(order_ids)  # read late: as close to the write as possible
        old = dict(OrderScreening.objects.filter(order_id__any=order_ids).values_list("order_id", "summary"))
        screenings, problems_by_order = [], {}
        now = timezone.now()
        for (pk, title, content), pred, found, hits in zip(rows, preds, found_all, hits_all, strict=True):
            if pred is None and ctx.screener is not None:
                stats["failed"] += 1
            screening, problems = _decide_order(pk, title, content, pred, found, hits, corrections.get(pk, {}), ctx,
                                                now)
            screenings.append(screening)
            problems_by_order[pk] = problems
        _write_screenings(screenings, old)
        id_map = dict(OrderScreening.objects.filter(order_id__any=order_ids).values_list("order_id", "id"))
        if old:
            OrderProblem.objects.filter(screening_id__any=[id_map[pk] for pk in old if pk in id_map]).delete()
        bulk.insert_many(OrderProblem, [
            bulk.build(OrderProblem, screening_id=id_map[pk], problem_id=ctx.problems[p.name], score=p.score,
                       provenance=p.by, state=p.state)
            for pk, plist in problems_by_order.items() for p in plist])
        events = [bulk.build(OrderEvent, order_id=s.order_id, at=now, recorded_at=now, kind=OrderEvent.Kind.NOTE,
                             actor_label=ACTOR_LABEL, note=s.summary)
                  for s in screenings if old.get(s.order_id) != s.summary]
        bulk.insert_many(OrderEvent, events)
    stats["screened"] += len(screenings)
    stats["changed"] += len(events)
    # A listener's failure (e.g. grading) must not turn a good screening into a failed one.
    for receiver, result in orders_screened.send_robust(sender=Context, order_ids=order_ids,
                                                        changed_ids=[e.order_id for e in events]):
        if isinstance(result, Exception):
            log.error("orders_screened receiver %r failed", receiver, exc_info=result)


def _write_screenings(screenings: list[OrderScreening], old: dict[int, str]) -> None:
    """Orders screened for the first time are plain inserts (the fast path of a bulk import);
    re-screened ones are upserts. If another worker screened one of the "new" orders meanwhile,
    the insert fails as a whole and everything goes through the upsert."""
    fresh = [s for s in screenings if s.order_id not in old]
    again = [s for s in screenings if s.order_id in old]
    if fresh:
        try:
            with transaction.atomic():
                bulk.insert_many(OrderScreening, fresh)
        except IntegrityError:
            again = screenings
    if again:
        OrderScreening.objects.bulk_create(again, update_conflicts=True, unique_fields=["order"],
                                           update_fields=UPDATE_FIELDS, batch_size=500)


def mark_for_rescreen(order_ids) -> int:
    """After a failure: make sure each order has a screening row flagged for re-screening (the
    order itself is already committed; nothing is lost)."""
    ids = list(WorkOrder.objects.filter(pk__in=list(order_ids)).values_list("pk", flat=True))
    if not ids:
        return 0
    OrderScreening.objects.filter(order_id__in=ids).update(needs_rescreen=True)
    OrderScreening.objects.bulk_create([OrderScreening(order_id=i, needs_rescreen=True) for i in ids],
                                       ignore_conflicts=True)
    return len(ids)


def screen_safely(order_ids, **kwargs) -> dict | None:
    """Screen, but never raise: on failure log and mark the orders for re-screening."""
    try:
        return screen_orders(order_ids, **kwargs)
    except Exception:
        log.exception("screening %d orders failed; marked for rescreen", len(order_ids))
        try:
            mark_for_rescreen(order_ids)
        except Exception:
            log.exception("could not mark orders for rescreen")
        return None
