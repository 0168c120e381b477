"""Writing the audit log. Every access to personal data and every refused access goes here."""

from jidu.core.models import AuditLog

__all__ = ["AuditLog", "record", "client_ip"]


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action: str, *, user=None, request=None, actor: str = "", obj=None, object_type: str = "",
           object_id="", **detail) -> AuditLog:
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditLog.objects.create(
        action=action,
        user=user,
        actor=actor or (user.get_username() if user else "匿名"),
        object_type=object_type,
        object_id=str(object_id or ""),
        detail=detail,
        ip=client_ip(request),
    )
