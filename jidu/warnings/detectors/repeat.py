"""Repeat offenders (同一对象反复被投诉): a business complained of again after

* an earlier warning about it (a cluster, spike or repeat warning on the business dimension,
  detected at least ``prior_warning_min_age_hours`` before the new complaint), or
* an enforcement-supervision case, an official document or a supervision order (督办单) about it,
  when those apps are installed: the ``sources`` in the configuration name the models; a model
  or field that does not exist is skipped, so the detector works before and after they land.
  A source row names the business through a credit-code/name field of its own, or through the
  orders it is linked to (a FK ``order``, an M2M ``orders``, or a generic link to a WorkOrder).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError

from jidu.orders.models import WorkOrder
from jidu.warnings.detectors.base import order_type_codes, BusinessIndex, Finding, business_key, field_names, level_for, model_or_none

USCC_FIELDS = ("party_uscc", "uscc", "credit_code", "business_uscc", "subject_uscc")
NAME_FIELDS = ("party_name", "business_name", "party", "subject_name", "business")


def _order_businesses(order_ids, bindex: BusinessIndex) -> dict[int, list[str]]:
    rows = WorkOrder.objects.filter(pk__in=order_ids).values_list("pk", "screening__entities")
    rows = list(rows)
    for _, ent in rows:
        bindex.learn(ent)
    return {pk: bindex.keys(ent) for pk, ent in rows}


def source_events(source: dict, since: dt.datetime, bindex: BusinessIndex) -> dict[str, list[dict]]:
    """Business key → [{"label", "at", "ref"}] from one configured source model (empty when absent)."""
    model = model_or_none(source.get("model", ""))
    if model is None:
        return {}
    names = field_names(model)
    date_field = next((f for f in source.get("date_fields") or () if f in names), None)
    if date_field is None:
        return {}
    qs = model.objects.filter(**{f"{date_field}__gte": since}).order_by(date_field)
    try:
        try:  # the linked orders of every row in one query, not one per row
            objs = list(qs.prefetch_related("orders")[:5000]) if "orders" in names else list(qs[:5000])
        except (AttributeError, ValueError, TypeError):
            objs = list(qs[:5000])
    except (FieldError, ValueError):
        return {}
    out: dict[str, list[dict]] = defaultdict(list)
    wo_ct = ContentType.objects.get_for_model(WorkOrder)
    linked: dict[int, list[int]] = {}
    for i, obj in enumerate(objs):
        order_ids = []
        if "order" in names and getattr(obj, "order_id", None):
            order_ids.append(obj.order_id)
        if "orders" in names:
            try:
                order_ids += [o.pk for o in obj.orders.all()]
            except (AttributeError, ValueError):
                pass
        if "content_type" in names and "object_id" in names and getattr(obj, "content_type_id", None) == wo_ct.pk:
            try:
                order_ids.append(int(obj.object_id))
            except (TypeError, ValueError):
                pass
        linked[i] = order_ids
    entities = dict(WorkOrder.objects.filter(pk__in={o for ids in linked.values() for o in ids})
                    .values_list("pk", "screening__entities")) if any(linked.values()) else {}
    for i, obj in enumerate(objs):
        keys: set[str] = set()
        uscc = next((getattr(obj, f) for f in USCC_FIELDS if f in names and getattr(obj, f, None)), "")
        name = next((getattr(obj, f) for f in NAME_FIELDS if f in names and isinstance(getattr(obj, f, None), str)
                     and getattr(obj, f)), "")
        k = business_key({"uscc": uscc if isinstance(uscc, str) else "", "name": name})
        if k:
            keys.add(bindex.name_to_code.get(k[0], k[0]))
        rows = [(pk, entities[pk]) for pk in dict.fromkeys(linked[i]) if pk in entities]
        for _, ent in rows:  # as _order_businesses: learn this row's orders, then key them
            bindex.learn(ent)
        for _, ent in rows:
            keys.update(bindex.keys(ent))
        at = getattr(obj, date_field)
        if isinstance(at, dt.date) and not isinstance(at, dt.datetime):
            at = dt.datetime.combine(at, dt.time(), tzinfo=dt.timezone.utc)
        for key in keys:
            out[key].append({"label": source.get("label", model._meta.verbose_name), "at": at,
                             "ref": f"{model._meta.label_lower}:{obj.pk}", "text": str(obj)[:80]})
    return out


def detect(now: dt.datetime, params: dict) -> list[Finding]:
    from jidu.warnings.models import Dimension, Kind, Warning

    recent = now - dt.timedelta(hours=int(params.get("recent_hours", 72)))
    since = now - dt.timedelta(days=int(params.get("lookback_days", 365)))
    min_age = dt.timedelta(hours=int(params.get("prior_warning_min_age_hours", 72)))
    qs = WorkOrder.objects.filter(received_at__gt=recent, received_at__lte=now)
    if params.get("order_types"):
        qs = qs.filter(order_type__in=order_type_codes(params["order_types"]))
    rows = list(qs.values("id", "received_at", "screening__entities", "screening__field_id"))
    bindex = BusinessIndex()
    for r in rows:
        bindex.learn(r["screening__entities"])
    new_by_key: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        for k in bindex.keys(r["screening__entities"]):
            new_by_key[k].append(r)
    if not new_by_key:
        return []
    prior: dict[str, list[dict]] = defaultdict(list)
    for w in Warning.objects.filter(dimension=Dimension.BUSINESS, key__in=list(new_by_key), first_detected_at__gte=since,
                                    kind__in=[Kind.CLUSTER, Kind.SPIKE, Kind.REPEAT]).order_by("first_detected_at"):
        prior[w.key].append({"label": f"预警：{w.get_kind_display()}", "at": w.first_detected_at,
                             "until": w.last_detected_at, "ref": f"warnings.warning:{w.pk}", "text": w.title[:80],
                             "warning": w.pk, "kind": w.kind})
    for source in params.get("sources") or ():
        for k, events in source_events(source, since, bindex).items():
            if k in new_by_key:
                prior[k].extend(events)
    findings = []
    for k, orders in new_by_key.items():
        events = prior.get(k) or []
        usable = []
        for e in events:
            if e.get("kind") == Kind.REPEAT:
                continue  # a repeat warning is not itself the earlier "notice"
            if "warning" in e:
                # the earlier warning must be old enough and the new complaints must come after its episode
                if e["at"] > now - min_age:
                    continue
                after = [o for o in orders if o["received_at"] > e["until"]]
            else:
                after = [o for o in orders if o["received_at"] > e["at"]]
            if after:
                usable.append((e, after))
        if not usable:
            continue
        new_orders = {o["id"]: o for _, after in usable for o in after}
        n = len(new_orders)
        level = level_for(params.get("levels") or {}, lambda t: n >= int(t.get("new_orders", 10 ** 9)))
        label = bindex.labels.get(k, k.split(":", 1)[-1])
        firsts = sorted(usable, key=lambda x: x[0]["at"])
        first = firsts[0][0]
        f = Finding(
            kind="repeat_offender", dimension="business", key=k, key_label=label, level=level,
            title=f"经营主体“{label}”在{first['label']}之后再次被投诉（新增{n}件）",
            summary="；".join(f"{e['label']}（{e['at']:%Y-%m-%d}）{e['text']}" for e, _ in firsts[:5]),
            observed=n, window_start=recent, window_end=now, order_ids=sorted(new_orders),
            evidence={"prior": [{"label": e["label"], "at": e["at"].isoformat(), "ref": e["ref"], "text": e["text"]}
                                for e, _ in firsts[:20]],
                      "new_orders": n, "recent_hours": int(params.get("recent_hours", 72))},
        )
        fields = [o["screening__field_id"] for o in new_orders.values() if o["screening__field_id"]]
        if fields:
            f.field_ids.add(max(set(fields), key=fields.count))
        findings.append(f)
    return findings
