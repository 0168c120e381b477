"""Clusters of near-identical complaints (相似投诉聚集).

Complaints and reports received within ``window_hours`` are grouped by the business they name
(credit code, else name) and by place (the order's area); inside a group, texts are compared by
cosine similarity of character 2–3-gram TF-IDF vectors (IDF fitted on all the window's texts, so
words every complaint uses weigh little; characters, not words, because Chinese has no spaces and
names vary). Orders linked by similarity ≥ the threshold form connected components; a component
of at least ``min_size`` orders is a cluster. Place groups need a higher similarity (many
unrelated orders share a town).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from jidu.orders.models import WorkOrder
from jidu.org.models import Area
from jidu.screening.models import OrderProblem
from jidu.warnings.detectors.base import order_type_codes, BusinessIndex, Finding, level_for


def _components(n: int, edges) -> list[list[int]]:
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        a, b = find(i), find(j)
        if a != b:
            parent[a] = b
    groups = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return list(groups.values())


def similar_components(texts: list[str], members: list[int], matrix, threshold: float) -> list[list[int]]:
    """Components (of indexes into ``members``) of the graph "cosine ≥ threshold"."""
    import numpy as np

    sub = matrix[members]
    sims = (sub @ sub.T).toarray()
    # the pairs i < j at or above the threshold, found by numpy (row-major, as a double loop would)
    rows, cols = np.nonzero(np.triu(sims >= threshold, k=1))
    return _components(len(members), zip(rows.tolist(), cols.tolist())), sims


def detect(now: dt.datetime, params: dict) -> list[Finding]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    hours = int(params.get("window_hours", 72))
    min_size = int(params.get("min_size", 3))
    start = now - dt.timedelta(hours=hours)
    qs = WorkOrder.objects.filter(received_at__gt=start, received_at__lte=now)
    if params.get("order_types"):
        qs = qs.filter(order_type__in=order_type_codes(params["order_types"]))
    rows = list(qs.values("id", "order_no", "received_at", "title", "content", "area_id", "screening__field_id",
                          "screening__entities"))
    if len(rows) < min_size:
        return []
    texts = [f"{r['title'] or ''} {r['content'] or ''}" for r in rows]
    try:
        matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), min_df=1, sublinear_tf=True).fit_transform(texts)
    except ValueError:  # nothing but empty texts
        return []
    bindex = BusinessIndex()
    for r in rows:
        bindex.learn(r["screening__entities"])
    groups: dict[tuple, list[int]] = defaultdict(list)
    by = params.get("by") or ["business", "place"]
    for i, r in enumerate(rows):
        if "business" in by:
            for k in bindex.keys(r["screening__entities"]):
                groups[("business", k)].append(i)
        if "place" in by and r["area_id"]:
            groups[("place", r["area_id"])].append(i)
    problems = defaultdict(list)
    for oid, pid, pname in OrderProblem.objects.filter(screening__order_id__in=[r["id"] for r in rows]) \
            .values_list("screening__order_id", "problem_id", "problem__name"):
        problems[oid].append((pid, pname))
    areas = dict(Area.objects.filter(pk__in={r["area_id"] for r in rows if r["area_id"]}).values_list("pk", "name"))
    area_codes = dict(Area.objects.filter(pk__in=areas).values_list("pk", "code"))
    findings = []
    for (dim, k), members in groups.items():
        if len(members) < min_size:
            continue
        threshold = float(params.get("similarity", 0.3) if dim == "business" else params.get("place_similarity", 0.55))
        comps, sims = similar_components(texts, members, matrix, threshold)
        comp = max(comps, key=len)
        if len(comp) < min_size:
            continue
        idx = [members[i] for i in comp]
        mean_sim = 0.0
        if len(comp) > 1:
            import numpy as np

            upper = np.triu_indices(len(comp), k=1)  # every pair once, in the order of a double loop
            values = sims[np.ix_(comp, comp)][upper].tolist()
            mean_sim = sum(values) / len(values)
        oids = [rows[i]["id"] for i in idx]
        probs = Counter(p for oid in oids for p in problems.get(oid, ()))
        top_problem = probs.most_common(1)[0][0] if probs else None
        if dim == "business":
            label = bindex.labels.get(k, k.split(":", 1)[-1])
            key = k
        else:
            label = areas.get(k, str(k))
            # one place may hold several unrelated clusters: keep them apart by their main problem
            key = f"{area_codes.get(k, k)}:{top_problem[0] if top_problem else '-'}"
            if top_problem:
                label = f"{label}（{top_problem[1]}）"
        size = len(oids)
        level = level_for(params.get("levels") or {}, lambda t: size >= int(t.get("size", 10 ** 9)))
        received = sorted(rows[i]["received_at"] for i in idx)
        what = "经营主体" if dim == "business" else "地点"
        f = Finding(
            kind="cluster", dimension=dim, key=key, key_label=label, level=level,
            title=f"{what}“{label}”{hours}小时内{size}件相似投诉",
            summary=f"文字相似度（字符2-3元组TF-IDF余弦）平均{mean_sim:.2f}，阈值{threshold}。",
            score=round(mean_sim, 3), observed=size, window_start=received[0], window_end=now, order_ids=oids,
            evidence={"method": "char_tfidf_cosine", "threshold": threshold, "mean_similarity": round(mean_sim, 3),
                      "window_hours": hours, "group_size": len(members), "first": received[0].isoformat(),
                      "last": received[-1].isoformat(),
                      "problems": [[name, n] for (_pid, name), n in probs.most_common(5)],
                      "samples": [texts[i][:120] for i in idx[:3]]},
        )
        fields = Counter(rows[i]["screening__field_id"] for i in idx if rows[i]["screening__field_id"])
        if fields:
            f.field_ids.add(fields.most_common(1)[0][0])
        if top_problem:
            f.problem_ids.add(top_problem[0])
        findings.append(f)
    return findings
