"""Claiming due items atomically (the healthchecks ``sendalerts`` pattern).

A scanner never "reads then acts": it first moves the item's due-time field from the value it read
to a new one with a single conditional UPDATE (compare-and-set). Only the worker whose UPDATE
changed a row acts on it, so two workers never act on the same item, and an item nobody claimed
stays due for the next pass.
"""

import datetime as dt
from collections.abc import Iterator

from django.db.models import Model, QuerySet
from django.utils import timezone


def claim(queryset: QuerySet, pk, *, field: str, expected, new) -> bool:
    """Move row ``pk``'s ``field`` from ``expected`` to ``new``; True only for the caller that did it."""
    return queryset.filter(pk=pk, **{field: expected}).update(**{field: new}) == 1


def claim_due(queryset: QuerySet, *, field: str, now: dt.datetime | None = None,
              lease: dt.timedelta = dt.timedelta(minutes=5), limit: int = 500) -> Iterator[Model]:
    """Yield the items of ``queryset`` whose ``field`` is due (<= now), each claimed by pushing
    ``field`` forward by ``lease``. The caller finishes the item and then sets ``field`` to its
    next due time (or None). A worker killed mid-item leaves it claimed only until the lease runs
    out; then it is due again and the next pass retries it."""
    now = now or timezone.now()
    due = queryset.filter(**{f"{field}__lte": now}).order_by(field, "pk").values_list("pk", field)[:limit]
    for pk, when in list(due):
        if claim(queryset, pk, field=field, expected=when, new=now + lease):
            obj = queryset.model._default_manager.filter(pk=pk).first()
            if obj is not None:
                yield obj
