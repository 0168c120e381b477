"""Shared handling of private uploads (jidu.core.files, jidu.core.models.StoredFile).

Exercised through ConsultationMaterial, one of the concrete StoredFile models."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from jidu.coordination.models import Consultation, ConsultationMaterial
from jidu.core.files import check_upload, check_uploads, serve_attachment
from jidu.core.models import AuditLog
from jidu.org import scope
from jidu.org.models import Department

pytestmark = pytest.mark.django_db


class UploadRefused(Exception):
    pass


@pytest.fixture
def material(make_user):
    sup = make_user("sup", "supervisor", "SFJ")
    c = Consultation.objects.create(topic="会商", convened_by=sup, scheduled_at=timezone.now())
    c.departments.set([Department.objects.get(code="PT_SCJG")])
    upload = SimpleUploadedFile("会商 材料.pdf", b"%PDF-1.4 body")
    return ConsultationMaterial.from_upload(upload, by=sup, consultation=c)


def _download(user, pk, **kwargs):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7")
    request.user = user
    obj = scope.get_visible_or_404(user, ConsultationMaterial.objects.all(), request=request, pk=pk)
    return serve_attachment(request, obj, **kwargs)


def test_from_upload_keeps_name_size_and_uploader(material):
    assert (material.name, material.size, str(material)) == ("会商 材料.pdf", 13, "会商 材料.pdf")
    assert material.uploaded_by.username == "sup" and material.at is not None
    assert material.file.read() == b"%PDF-1.4 body"


def test_out_of_scope_download_is_404_and_audited(material, make_user):
    outsider = make_user("wglt", "handler", "PT_WGLT")
    with pytest.raises(Http404):
        _download(outsider, material.pk)
    denied = AuditLog.objects.get(action="denied", object_type="coordination.consultationmaterial")
    assert denied.user == outsider and denied.object_id == str(material.pk) and denied.ip == "10.0.0.7"
    assert not AuditLog.objects.filter(action="export").exists()


def test_in_scope_download_gets_the_file_with_its_name_and_is_audited(material, make_user):
    handler = make_user("scjg", "handler", "PT_SCJG")
    response = _download(handler, material.pk)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 body"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''%E4%BC%9A%E5%95%86" in disposition
    log = AuditLog.objects.get(action="export")
    assert (log.user, log.object_id, log.detail) == (handler, str(material.pk),
                                                     {"event": "download", "name": "会商 材料.pdf"})


def test_inline_and_unaudited_variants(material, make_user):
    handler = make_user("scjg", "handler", "PT_SCJG")
    response = _download(handler, material.pk, inline=True, audit_event=None)
    assert response["Content-Disposition"].startswith("inline;")
    assert not AuditLog.objects.filter(action="export").exists()


def test_a_record_without_a_file_is_404(material, make_user):
    material.file = ""
    with pytest.raises(Http404):
        serve_attachment(RequestFactory().get("/"), material)


def test_check_upload_applies_the_callers_limits():
    ok = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n0000")
    assert check_uploads([ok], error=UploadRefused, max_bytes=100, extensions={".png"},
                         signatures={".png": [b"\x89PNG\r\n\x1a\n"]}) == [ok]
    with pytest.raises(UploadRefused, match="类型不允许上传"):
        check_upload(SimpleUploadedFile("a.exe", b"MZ"), error=UploadRefused, max_bytes=100, extensions={".png"})
    with pytest.raises(UploadRefused, match="超过 1 MB"):
        check_upload(SimpleUploadedFile("a.png", b"x" * (1024 * 1024 + 1)), error=UploadRefused,
                     max_bytes=1024 * 1024)
    with pytest.raises(UploadRefused, match="不是 PNG 图片"):
        check_upload(SimpleUploadedFile("a.png", b"GIF89a"), error=UploadRefused, max_bytes=100,
                     extensions={".png"}, signatures={".png": [b"\x89PNG\r\n\x1a\n"]})
