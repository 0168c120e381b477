import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from jidu.core.models import AuditLog
from jidu.reports import services
from jidu.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_report(september):
    return services.generate_report("daily", dt.date(2026, 9, 1))


def test_a_leader_sees_the_archive_and_downloads_both_files_and_the_download_is_audited(client, make_user,
                                                                                         city_report):
    client.force_login(make_user("leader1", "leader"))
    page = client.get(reverse("reports:archive"))
    assert page.status_code == 200
    body = page.content.decode()
    assert city_report.title in body and "生成报告</button>" not in body  # leaders read only
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK")):
        response = client.get(reverse("reports:download", args=[city_report.pk, fmt]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == magic
        assert "attachment" in response["Content-Disposition"]
    audits = AuditLog.objects.filter(action="export", object_type="reports.report", object_id=str(city_report.pk))
    assert sorted(a.detail["format"] for a in audits) == ["docx", "xlsx"]


def test_a_department_handler_cannot_open_or_download_a_city_report_by_url(client, make_user, city_report):
    handler = make_user("h1", "handler", "SCJG")
    client.force_login(handler)
    for url in (reverse("reports:archive"), reverse("reports:detail", args=[city_report.pk]),
                reverse("reports:download", args=[city_report.pk, "docx"])):
        assert client.get(url).status_code == 403
    assert AuditLog.objects.filter(action="denied", user=handler, object_id=str(city_report.pk)).count() == 2


def test_a_handler_given_the_view_permission_still_gets_404_for_a_city_report_and_it_is_audited(
        client, make_user, city_report):
    handler = make_user("h2", "handler", "SCJG")
    handler.user_permissions.add(Permission.objects.get(codename="view_report"))
    client.force_login(handler)
    assert client.get(reverse("reports:download", args=[city_report.pk, "xlsx"])).status_code == 404
    assert AuditLog.objects.filter(action="denied", user=handler, object_type="reports.report",
                                   object_id=str(city_report.pk)).exists()
    page = client.get(reverse("reports:archive"))
    assert page.status_code == 200 and city_report.title not in page.content.decode()


def test_a_supervisor_generates_a_report_on_demand_and_follows_its_progress(client, make_user, september):
    client.force_login(make_user("sup1", "supervisor"))
    response = client.post(reverse("reports:archive"), {"kind": "monthly", "start": "2026-09-05"})
    report = Report.objects.get(kind="monthly")
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.status == "done" and report.period_start == dt.date(2026, 9, 1)  # tasks run at once in tests
    assert report.by.username == "sup1"
    progress = client.get(reverse("reports:progress", args=[report.pk])).content.decode()
    assert "已完成" in progress and "下载 Word" in progress and "hx-trigger" not in progress
    client.post(reverse("reports:archive"), {"kind": "monthly", "start": "2026-09-01"})
    detail = client.get(reverse("reports:detail", args=[Report.objects.get(current=True).pk])).content.decode()
    assert "第2版" in detail and "各版本" in detail


def test_a_topic_report_from_the_form(client, make_user, september):
    client.force_login(make_user("sup1", "supervisor"))
    client.post(reverse("reports:archive"), {"kind": "topic", "start": "2026-09-01", "end": "2026-09-30",
                                             "problem": "short_weight"})
    report = Report.objects.get(kind="topic")
    assert report.params == {"problem": "short_weight"} and report.figures["total"] == 2


def test_bad_form_input_gets_a_chinese_error_and_creates_nothing(client, make_user, db):
    client.force_login(make_user("sup1", "supervisor"))
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    body = client.post(reverse("reports:archive"), {"kind": "daily", "start": future}).content.decode()
    assert "不能为将来的日期生成报告" in body
    body = client.post(reverse("reports:archive"), {"kind": "topic", "start": "2026-09-10",
                                                    "end": "2026-09-01"}).content.decode()
    assert "截止日期不能早于起始日期" in body
    body = client.post(reverse("reports:archive"), {"kind": "daily", "start": "2026-09-01",
                                                    "theme": "tourism"}).content.decode()
    assert "只用于研判报告" in body
    assert not Report.objects.exists()


def test_a_leader_cannot_generate(client, make_user, db):
    client.force_login(make_user("leader1", "leader"))
    assert client.post(reverse("reports:archive"), {"kind": "daily", "start": "2026-09-01"}).status_code == 403
    assert not Report.objects.exists()


def test_a_failed_report_is_kept_with_its_error_and_cannot_be_downloaded(client, make_user, september, monkeypatch):
    from jidu.reports import render

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(render, "build_docx", broken)
    with pytest.raises(services.ReportError, match="磁盘已满"):
        services.generate_report("daily", dt.date(2026, 9, 1))
    report = Report.objects.get()
    assert report.status == "failed" and "磁盘已满" in report.error
    client.force_login(make_user("sup1", "supervisor"))
    assert client.get(reverse("reports:download", args=[report.pk, "docx"])).status_code == 404
    assert "生成失败" in client.get(reverse("reports:detail", args=[report.pk])).content.decode()
