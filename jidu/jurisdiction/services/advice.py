"""Routing advice (智能派单建议): departments ranked with a confidence and the reasons.

Reasons, each adding to a department's score:
- list entries whose keywords occur in the order's text (substring matching on the normalised
  text, never word boundaries), valid on the order's day and active — with their legal basis;
- the top-3 similar precedents (character-bigram TF-IDF, cosine similarity);
- the routing model's view (`jidu.jurisdiction.routing_ml.RoutingModel`, when present and trained);
- the area: a city department is replaced by its district mirror (普陀区市场监管局 for an order in
  普陀区), and the functional zone's administration is suggested for orders in its area.

Everything the advice reads is loaded once per process into an in-memory index (keyword index,
TF-IDF matrix, department and area maps). It is rebuilt when a list entry or precedent is saved in
this process (signals) and when the database changed (a cheap stamp query at most every
JIDU_ROUTING_CACHE_SECONDS, default 10). One advice call then costs no database query.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

log = logging.getLogger(__name__)

ENTRY_WEIGHT = {"boundary": 1.25, "catalogue": 1.0, "high_frequency": 1.0, "tasks": 0.9, "hard": 1.0}
CO_SHARE = 0.4  # a co-department receives this share of a reason's weight
PRECEDENT_WEIGHT = 1.2
PRECEDENT_MIN_SIMILARITY = 0.12
MODEL_WEIGHT = 0.8
ZONE_WEIGHT = 0.35
MAX_ENTRIES = 5
TOP_PRECEDENTS = 3
ZONE_FILE = Path(__file__).resolve().parents[2] / "org" / "data" / "zhoushan.json"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _terms(keyword: str) -> tuple[str, ...]:
    return tuple(t for t in (normalise(p).strip() for p in str(keyword).split("+")) if t)


@dataclass
class _Entry:
    pk: int
    code: str
    matter: str
    list_type: str
    lead: int | None
    co: list[int]
    basis: str
    basis_text: str
    excludes: list[str]
    valid_from: dt.date | None
    valid_to: dt.date | None
    resolve: bool


@dataclass
class _Precedent:
    pk: int
    matter: str
    lead: int | None
    co: list[int]
    citation: str
    basis: str


@dataclass
class _Index:
    stamp: tuple = ()
    checked_at: float = 0.0
    depts: dict = field(default_factory=dict)  # id → (name, short, level, parent_id, area_id)
    dept_by_name: dict = field(default_factory=dict)
    dept_by_code: dict = field(default_factory=dict)
    town_dept: dict = field(default_factory=dict)  # area id → its 乡镇/街道 office
    mirror: dict = field(default_factory=dict)  # (city dept id, district area id) → dept id
    area_district: dict = field(default_factory=dict)  # area id → district/county area id
    area_zone: dict = field(default_factory=dict)  # area id → zone area id
    zone_dept: dict = field(default_factory=dict)  # zone area id → zone department id
    area_names: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)
    kw_index: dict = field(default_factory=dict)  # key (first 1–2 chars of first term) → [(entry idx, terms)]
    precedents: list = field(default_factory=list)
    vectorizer: object = None
    matrix: object = None
    built_seconds: float = 0.0


_lock = threading.Lock()
_index: _Index | None = None
_model_state: dict = {}


def invalidate(*args, **kwargs) -> None:
    global _index
    _index = None


def reset_model() -> None:
    _model_state.clear()


def _cache_seconds() -> float:
    from django.conf import settings

    return float(getattr(settings, "JIDU_ROUTING_CACHE_SECONDS", os.environ.get("JIDU_ROUTING_CACHE_SECONDS", 10)))


def _stamp() -> tuple:
    from jidu.jurisdiction.models import ListEntry, Precedent
    from jidu.org.models import Department

    e = ListEntry.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    p = Precedent.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return (e["n"], e["m"], p["n"], p["m"], Department.objects.count())


def get_index() -> _Index:
    global _index
    index = _index
    now = time.monotonic()
    if index is not None and now - index.checked_at < _cache_seconds():
        return index
    with _lock:
        index = _index
        if index is not None and now - index.checked_at < _cache_seconds():
            return index
        stamp = _stamp()
        if index is not None and index.stamp == stamp:
            index.checked_at = now
            return index
        index = _build(stamp)
        _index = index
        return index


def _zone_covers() -> dict[str, str]:
    """Town/street code → functional zone code, from the city reference file ("covers")."""
    try:
        data = json.loads(ZONE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {code: a["code"] for a in data.get("areas", []) if a.get("kind") == "zone" for code in a.get("covers", [])}


def _build(stamp) -> _Index:
    from jidu.jurisdiction.models import ListEntry, Precedent
    from jidu.org.models import Area, Department

    started = time.perf_counter()
    idx = _Index(stamp=stamp, checked_at=time.monotonic())
    areas = {a["id"]: a for a in Area.objects.values("id", "code", "name", "kind", "parent_id")}
    by_code = {a["code"]: a["id"] for a in areas.values()}
    idx.area_names = {pk: a["name"] for pk, a in areas.items()}
    covers = _zone_covers()
    for pk, a in areas.items():
        node = a
        while node is not None and node["kind"] not in ("district", "county"):
            node = areas.get(node["parent_id"])
        if node is not None:
            idx.area_district[pk] = node["id"]
        node = a
        while node is not None:
            if node["kind"] == "zone":
                idx.area_zone[pk] = node["id"]
                break
            if node["code"] in covers and covers[node["code"]] in by_code:
                idx.area_zone[pk] = by_code[covers[node["code"]]]
                break
            node = areas.get(node["parent_id"])
    for d in Department.objects.filter(active=True).values("id", "code", "name", "short_name", "level", "parent_id",
                                                           "area_id", "aliases"):
        idx.depts[d["id"]] = (d["name"], d["short_name"], d["level"], d["parent_id"], d["area_id"])
        idx.dept_by_code[d["code"]] = d["id"]
        if d["level"] == "town" and d["area_id"]:
            idx.town_dept.setdefault(d["area_id"], d["id"])
        for name in [d["name"], d["short_name"], *(d["aliases"] or [])]:
            if name:
                idx.dept_by_name.setdefault(normalise(name), d["id"])
        if d["parent_id"] and d["area_id"]:
            idx.mirror[(d["parent_id"], d["area_id"])] = d["id"]
        if d["level"] == "zone" and d["area_id"]:
            idx.zone_dept[d["area_id"]] = d["id"]

    co_of: dict[int, list[int]] = {}
    for entry_id, dept_id in ListEntry.co_departments.through.objects.values_list("listentry_id", "department_id"):
        co_of.setdefault(entry_id, []).append(dept_id)
    rows = ListEntry.objects.filter(active=True).values_list(
        "id", "code", "matter", "list_type", "lead_department_id", "basis_law", "basis_article", "basis_text",
        "keywords", "exclude_keywords", "valid_from", "valid_to", "resolve_to_district")
    for (pk, code, matter, list_type, lead, law, article, basis_text, keywords, excludes, vf, vt,
         resolve) in rows.iterator(chunk_size=2000):
        basis = "".join(p for p in (law and f"《{law.strip('《》')}》", article) if p)
        entry = _Entry(pk, code, matter, list_type, lead, co_of.get(pk, []), basis, basis_text or "",
                       [normalise(x) for x in (excludes or []) if x], vf, vt, resolve)
        n = len(idx.entries)
        idx.entries.append(entry)
        for keyword in keywords or []:
            terms = _terms(keyword)
            if terms:
                idx.kw_index.setdefault(terms[0][:2], []).append((n, terms))

    pco: dict[int, list[int]] = {}
    for pid, dept_id in Precedent.co_departments.through.objects.values_list("precedent_id", "department_id"):
        pco.setdefault(pid, []).append(dept_id)
    docs = []
    for pk, matter, keywords, text, lead, citation, basis in Precedent.objects.filter(active=True).values_list(
            "id", "matter", "keywords", "text", "lead_department_id", "citation", "basis_text").iterator(
            chunk_size=5000):
        idx.precedents.append(_Precedent(pk, matter, lead, pco.get(pk, []), citation, basis))
        docs.append(normalise(" ".join([matter, " ".join(keywords or []), (text or "")[:600]])))
    if docs:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        idx.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, dtype=np.float32)
        idx.matrix = idx.vectorizer.fit_transform(docs).tocsr()
    idx.built_seconds = time.perf_counter() - started
    log.info("routing index: %d entries, %d precedents, built in %.2fs", len(idx.entries), len(idx.precedents),
             idx.built_seconds)
    return idx


# ------------------------------------------------------------------------------------------ model
def _model_department(idx, name: str, area_id):
    """The department a model label names: a department's own name, else (for the shipped model,
    which answers with department types such as 住建) the city's department of that type; the
    township type goes to the order's own 乡镇/街道 office."""
    dept_id = idx.dept_by_name.get(normalise(name))
    if dept_id is not None:
        return dept_id
    try:
        from jidu.jurisdiction.routing_ml import ZHOUSHAN_DEPARTMENT_CODES
    except ImportError:
        return None
    if name in ZHOUSHAN_DEPARTMENT_CODES and ZHOUSHAN_DEPARTMENT_CODES[name] is None:
        return idx.town_dept.get(area_id)
    return idx.dept_by_code.get(ZHOUSHAN_DEPARTMENT_CODES.get(name) or "")


def routing_model():
    """The colleague's RoutingModel, loaded once per process; None when absent or untrained."""
    if "model" not in _model_state:
        model = None
        try:
            from jidu.jurisdiction.routing_ml import RoutingModel  # type: ignore[attr-defined]
            from jidu.jurisdiction.services.routing_training import active_artifact

            model = RoutingModel.load(active_artifact())  # None: the shipped default
        except Exception as exc:  # absent package, no artifact, untrained: the reason is skipped
            log.info("routing model unavailable: %s", exc)
            model = None
        _model_state["model"] = model
    return _model_state["model"]


# ------------------------------------------------------------------------------------------ advice
@dataclass
class _Score:
    lead: float = 0.0
    co: float = 0.0
    reasons: list = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.lead + self.co


def _resolve(idx: _Index, dept_id: int | None, district_id: int | None, resolve: bool = True) -> int | None:
    """A city department → its mirror in the order's district (and a district department of
    another district → the order's district's)."""
    if dept_id is None or dept_id not in idx.depts:
        return None
    if not resolve or district_id is None:
        return dept_id
    name, short, level, parent, area = idx.depts[dept_id]
    city = parent if level == "district" and parent else dept_id
    return idx.mirror.get((city, district_id), dept_id)


def _match_entries(idx: _Index, text: str, day: dt.date) -> list[tuple[_Entry, list[str], float]]:
    keys = {text[i:i + 2] for i in range(len(text) - 1)} | set(text)
    hits: dict[int, list[str]] = {}
    for key in keys:
        for n, terms in idx.kw_index.get(key, ()):
            if all(t in text for t in terms):
                hits.setdefault(n, []).append("+".join(terms))
    found = []
    for n, keywords in hits.items():
        e = idx.entries[n]
        if (e.valid_from and e.valid_from > day) or (e.valid_to and e.valid_to < day):
            continue  # past (or before) its validity: never used
        if any(x in text for x in e.excludes):
            continue
        longest = max(len(k) for k in keywords)
        strength = min(1.0, 0.55 + 0.1 * longest) + 0.1 * min(len(keywords) - 1, 3)
        found.append((e, sorted(set(keywords)), strength * ENTRY_WEIGHT.get(e.list_type, 1.0)))
    found.sort(key=lambda t: (-t[2], t[0].code))
    return found[:MAX_ENTRIES]


def _similar(idx: _Index, text: str) -> list[tuple[_Precedent, float]]:
    if idx.matrix is None or not text:
        return []
    import numpy as np

    q = idx.vectorizer.transform([text])
    if q.nnz == 0:
        return []
    scores = (idx.matrix @ q.T).toarray().ravel()
    k = min(TOP_PRECEDENTS, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top])]
    return [(idx.precedents[i], float(scores[i])) for i in top if scores[i] >= PRECEDENT_MIN_SIMILARITY]


def advise(text: str, *, area_id: int | None = None, day: dt.date | None = None, use_model: bool = True,
           with_links: bool = True) -> dict:
    """Advice for a text (an order's title + content) in an area on a day. Pure in-memory."""
    idx = get_index()
    day = day or timezone.localdate()
    text = normalise(text)
    district = idx.area_district.get(area_id) if area_id else None
    zone = idx.area_zone.get(area_id) if area_id else None
    scores: dict[int, _Score] = {}

    def add(dept_id, weight, role, reason):
        if dept_id is None:
            return
        s = scores.setdefault(dept_id, _Score())
        if role == "lead":
            s.lead += weight
        else:
            s.co += weight
        s.reasons.append({**reason, "role": "主办" if role == "lead" else "协办"})

    entries_out = []
    for e, keywords, strength in _match_entries(idx, text, day):
        reason = {"kind": "entry", "text": f"清单“{e.matter}”（{e.code}）命中：{'、'.join(keywords)}",
                  "entry_id": e.pk, "code": e.code, "basis": e.basis, "basis_text": e.basis_text[:200]}
        if with_links:
            reason["url"] = reverse("jurisdiction:entry", args=[e.pk])
        add(_resolve(idx, e.lead, district, e.resolve), strength, "lead", reason)
        for co in e.co:
            add(_resolve(idx, co, district, e.resolve), strength * CO_SHARE, "co", reason)
        entries_out.append({**reason, "matter": e.matter, "list_type": e.list_type, "score": round(strength, 3)})

    precedents_out = []
    for p, sim in _similar(idx, text):
        reason = {"kind": "precedent", "text": f"相似先例“{p.matter}”（相似度{sim:.2f}）", "precedent_id": p.pk,
                  "similarity": round(sim, 3), "basis": p.citation or p.basis[:120]}
        if with_links:
            reason["url"] = reverse("jurisdiction:precedent", args=[p.pk])
        add(_resolve(idx, p.lead, district), sim * PRECEDENT_WEIGHT, "lead", reason)
        for co in p.co:
            add(_resolve(idx, co, district), sim * PRECEDENT_WEIGHT * CO_SHARE, "co", reason)
        precedents_out.append({**reason, "matter": p.matter})

    model_out = None
    model = routing_model() if use_model else None
    if model is not None and text:
        try:
            predictions = model.predict(text, 3)
        except Exception:
            log.exception("routing model failed; its reason is skipped")
            predictions = []
        model_out = []
        for name, score in predictions or []:
            dept_id = _model_department(idx, name, area_id)
            model_out.append({"department": name, "score": round(float(score), 3), "known": dept_id is not None})
            add(_resolve(idx, dept_id, district), float(score) * MODEL_WEIGHT, "lead",
                {"kind": "model", "text": f"模型判断：{name}（{float(score):.2f}）", "score": round(float(score), 3)})

    area_out = None
    if area_id:
        area_out = {"area": idx.area_names.get(area_id), "district": idx.area_names.get(district),
                    "zone": idx.area_names.get(zone)}
        if zone and zone in idx.zone_dept:
            add(idx.zone_dept[zone], ZONE_WEIGHT, "lead" if scores else "co",
                {"kind": "area", "text": f"属地：{idx.area_names.get(zone)}（功能区，由管委会管理）"})
        if district:
            for dept_id, s in scores.items():
                info = idx.depts.get(dept_id)
                if info and info[4] == district:
                    s.reasons.append({"kind": "area", "role": "", "text": f"属地：{idx.area_names.get(district)}"
                                      f"（推荐区县对应部门）"})

    total = sum(s.total for s in scores.values())
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1].total, kv[0]))
    departments = []
    for dept_id, s in ranked:
        name, short, level, parent, area = idx.depts[dept_id]
        departments.append({
            "department_id": dept_id, "name": name, "short_name": short or name,
            "role": "主办" if s.lead >= s.co else "协办", "score": round(s.total, 3),
            "confidence": round(s.total / (total + 0.5), 2) if total else 0.0, "reasons": s.reasons,
        })
    return {"departments": departments, "entries": entries_out, "precedents": precedents_out,
            "model": model_out, "area": area_out}


def advise_order(order) -> dict:
    text = " ".join(p for p in (order.title, order.content) if p)
    result = advise(text, area_id=order.area_id)  # validity is judged on today's date
    result["order_id"] = order.pk
    return result
