"""Shared handling of private uploaded files: validation on the way in, audited download on the way out.

Limits and allowed types stay with each app (its services module); these helpers only apply them.
"""
from pathlib import PurePath

from django.http import FileResponse, Http404

from jidu.core import audit


def check_upload(upload, *, error: type[Exception], max_bytes: int, extensions=None, signatures=None,
                 what: str = "附件") -> None:
    """Raise ``error`` when the file's type is not allowed, it is larger than ``max_bytes``, or its first
    bytes do not match the signature expected for its extension (``signatures``: {".png": [b"..."]})."""
    ext = PurePath(upload.name).suffix.lower()
    if extensions is not None and ext not in extensions:
        raise error(f"{what}“{upload.name}”的类型不允许上传（允许：{'、'.join(sorted(extensions))}）")
    if upload.size > max_bytes:
        raise error(f"{what}“{upload.name}”超过 {max_bytes // (1024 * 1024)} MB")
    if signatures and ext in signatures:
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in signatures[ext]):
            raise error(f"{what}“{upload.name}”的内容不是 {ext[1:].upper()} 图片")


def check_uploads(uploads, **kwargs) -> list:
    """`check_upload` for each file (all are checked before any is saved); returns them as a list."""
    uploads = list(uploads or ())
    for upload in uploads:
        check_upload(upload, **kwargs)
    return uploads


def serve_attachment(request, obj, *, file=None, filename=None, audit_event: str | None = "download",
                     inline: bool = False, **audit_detail) -> FileResponse:
    """Serve a file the caller has already fetched within the user's scope (e.g. with
    ``jidu.org.scope.get_visible_or_404``, which answers 404 and audits out-of-scope requests).

    ``file`` defaults to ``obj.file`` and ``filename`` to ``obj.name``. Unless ``audit_event`` is None the
    access is recorded as an export with the file's name and ``audit_detail``. The response is a download
    (Content-Disposition: attachment) with the original name, or shown in the browser when ``inline``.
    """
    file = obj.file if file is None else file
    if not file:
        raise Http404("该记录没有附件")
    filename = filename or getattr(obj, "name", "") or "附件"
    if audit_event:
        audit.record(audit.AuditLog.Action.EXPORT, request=request, obj=obj, event=audit_event, **audit_detail,
                     name=filename)
    return FileResponse(file.open("rb"), as_attachment=not inline, filename=filename)
