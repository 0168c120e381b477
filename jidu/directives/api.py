"""GET /api/v1/directives — the signed-in user's directives (session), scoped like the pages."""

import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from jidu.directives.models import Directive
from jidu.org import scope

router = Router(tags=["协查督办"])


class DirectiveOut(Schema):
    id: int
    kind: str
    kind_label: str
    level: int
    state: str
    state_label: str
    order_no: str
    addressee: str | None
    reason: str
    requirement: str
    proposed_at: dt.datetime
    issued_at: dt.datetime | None
    reply_due: dt.datetime | None
    replied_at: dt.datetime | None
    document_number: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_order_no(obj):
        return obj.order.order_no

    @staticmethod
    def resolve_addressee(obj):
        return obj.addressee.name if obj.addressee_id else None


class DirectiveFilter(Schema):
    state: str | None = None
    kind: str | None = None
    overdue: bool = False


@router.get("", auth=django_auth, response=list[DirectiveOut], summary="督办列表（按权限范围）")
@paginate(LimitOffsetPagination)
def list_directives(request, filters: Query[DirectiveFilter]):
    from django.utils import timezone

    if not request.user.has_perm("directives.view_directive"):
        return Directive.objects.none()
    qs = scope.restrict(request.user, Directive.objects.select_related("order", "addressee"))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.overdue:
        qs = qs.filter(state=Directive.State.ISSUED, reply_due__lt=timezone.now())
    return qs.order_by("-proposed_at", "-id")


@router.get("/{int:directive_id}", auth=django_auth, response=DirectiveOut, summary="督办详情")
def get_directive(request, directive_id: int):
    from django.http import Http404

    if not request.user.has_perm("directives.view_directive"):
        raise Http404("未找到该记录，或您无权查看")
    return scope.get_visible_or_404(request.user, Directive.objects.select_related("order", "addressee"),
                                    request=request, pk=directive_id)
