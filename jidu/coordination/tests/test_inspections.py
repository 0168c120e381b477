import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jidu.coordination import services as svc
from jidu.coordination.models import Inspection
from jidu.notifications.models import Notification
from jidu.orders.models import OrderEvent

pytestmark = pytest.mark.django_db
VALID_USCC = "92330903MA2B3C4D58"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def test_inspection_runs_from_plan_to_completion(inspection, people, dept, order):
    o = order("T-0002")
    i = inspection(orders=[o])
    assert Notification.objects.filter(kind="coordination.inspection", user=people["wglt"]).exists()
    assert not Notification.objects.filter(kind="coordination.inspection", user=people["jtys"]).exists()
    svc.start_inspection(i, by=people["sup"])
    f = svc.add_finding(i, by=people["sup"], place="朱家尖南沙", business_name="某海鲜排档", uscc=VALID_USCC.lower(),
                        description="短斤少两", photos=[SimpleUploadedFile("现场.png", PNG)])
    assert f.uscc == VALID_USCC and f.photos.count() == 1
    assert i.businesses.get().uscc == VALID_USCC
    svc.add_case(i, by=people["sup"], number="舟普市监立〔2026〕1号", department=dept("PT_SCJG"), finding=f)
    r = svc.add_rectification(i, by=people["sup"], department=dept("PT_SCJG"), description="更换计量器具",
                              deadline=dt.date(2026, 7, 20), finding=f)
    svc.complete_rectification(r, by=people["scjg"], note="已更换并公示")
    svc.complete_inspection(i, by=people["sup"], summary="检查23家")
    i.refresh_from_db()
    assert i.state == Inspection.State.COMPLETED and i.summary == "检查23家"
    notes = list(OrderEvent.objects.filter(order=o, kind="note").values_list("note", flat=True))
    assert any("纳入联合巡查" in n for n in notes) and any("发现问题1处，立案1起" in n for n in notes)


def test_invalid_uscc_gets_a_chinese_error(inspection, people):
    i = inspection()
    svc.start_inspection(i, by=people["sup"])
    with pytest.raises(svc.CoordinationError, match="统一社会信用代码“92330903MA2B3C4D59”无效：校验位不正确"):
        svc.add_finding(i, by=people["sup"], place="x", description="y", uscc="92330903MA2B3C4D59")
    with pytest.raises(svc.CoordinationError, match="应为18位"):
        svc.add_business(i, by=people["sup"], name="某民宿", uscc="1234")
    assert not i.findings.exists() and not i.businesses.exists()


def test_findings_need_a_started_inspection_and_completion_needs_one_in_progress(inspection, people):
    i = inspection()
    with pytest.raises(svc.CoordinationError, match="开始巡查后才能记录发现"):
        svc.add_finding(i, by=people["sup"], place="x", description="y")
    with pytest.raises(svc.CoordinationError, match="当前状态为“已计划”，不能完成巡查"):
        svc.complete_inspection(i, by=people["sup"])


def test_photos_must_really_be_images(inspection, people):
    i = inspection()
    svc.start_inspection(i, by=people["sup"])
    with pytest.raises(svc.CoordinationError, match="不是 PNG 图片"):
        svc.add_finding(i, by=people["sup"], place="x", description="y",
                        photos=[SimpleUploadedFile("fake.png", b"<html>")])
    with pytest.raises(svc.CoordinationError, match="类型不允许"):
        svc.add_finding(i, by=people["sup"], place="x", description="y", photos=[SimpleUploadedFile("a.gif", b"GIF8")])


def test_end_before_start_is_refused(inspection):
    with pytest.raises(svc.CoordinationError, match="结束日期早于开始日期"):
        inspection(start_date=dt.date(2026, 7, 10), end_date=dt.date(2026, 7, 1))
