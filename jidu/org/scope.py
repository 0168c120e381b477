"""Data scoping: the ONE place that decides which rows a user may see.

Every page, API endpoint and export obtains its querysets through `restrict()` or
`get_visible_or_404()`. Models register how they relate to departments; a department handler
then sees only rows whose registered relation names their department. Hotline dispatchers,
supervisors, leaders and administrators see the whole city (leaders read only, by permissions).
"""

from collections.abc import Callable

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from jidu.core import audit

# model class → function(department_ids) → Q selecting the rows those departments may see
_REGISTRY: dict[type[Model], Callable[[list[int]], Q]] = {}

CITY_WIDE_ROLES = {"dispatcher", "supervisor", "leader", "admin"}


def register(model: type[Model], department_q: Callable[[list[int]], Q]) -> None:
    _REGISTRY[model] = department_q


def department_ids(user) -> list[int]:
    """The departments whose data a department handler may see: their own."""
    return [user.department_id] if getattr(user, "department_id", None) else []


def is_city_wide(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active
                and (user.is_superuser or user.role in CITY_WIDE_ROLES))


def restrict(user, queryset: QuerySet) -> QuerySet:
    model = queryset.model
    if model not in _REGISTRY:
        raise LookupError(f"{model.__name__} is not registered for scoping")
    if getattr(user, "is_api_token", False):
        # A source's read token sees the orders that source sent, nothing else.
        has_source = any(f.name == "source" for f in model._meta.get_fields())
        return queryset.filter(source_id=user.source_id) if has_source and user.is_valid else queryset.none()
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_city_wide(user):
        return queryset
    if user.role == "handler":
        depts = department_ids(user)
        return queryset.filter(_REGISTRY[model](depts)) if depts else queryset.none()
    return queryset.none()


def get_visible_or_404(user, queryset: QuerySet, *, request=None, **lookup):
    """Fetch one row the user may see; a row that exists but is out of scope is a 404, audited."""
    try:
        return restrict(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        if queryset.filter(**lookup).exists():
            token = getattr(user, "is_api_token", False)
            audit.record(
                audit.AuditLog.Action.DENIED,
                user=user if not token and user and user.is_authenticated else None,
                actor=f"接口令牌 {user.prefix}" if token else "",
                request=request, object_type=queryset.model._meta.label_lower,
                object_id=str(next(iter(lookup.values()), "")), lookup={k: str(v) for k, v in lookup.items()},
            )
        raise Http404("未找到该记录，或您无权查看") from None
