"""Pages: scope (a department sees what is copied to it; another's warning is a 404 and audited),
leaders read and acknowledge only, the handling forms, bad input."""

import pytest
from django.urls import reverse

from jidu.core.models import AuditLog
from jidu.org.models import Department
from jidu.warnings.models import State, Warning, WarningOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(make_orders):
    orders = make_orders(3, "2026-11-12 09:00", spread_hours=3)
    w = Warning.objects.create(kind="spike", level="red", title="问题类型“退订退款纠纷”诉求量异常上升", dimension="problem",
                               key="tuiding", key_label="退订退款纠纷", observed=30, expected=4.2,
                               evidence={"windows": [{"hours": 24, "observed": 30, "expected": 4.2, "ratio": 7.1,
                                                      "p_value": 1e-12, "days": [{"date": "2026-11-12", "day_type": "工作日",
                                                                                  "per_day": 4.2, "share": 1}]}],
                                         "baseline": {"baseline_days": 56, "factor_days": 364, "level_per_workday": 4.2,
                                                      "factors": {"工作日": 1.0}, "recent_daily": [["2026-11-11", 4]]}})
    w.departments.add(Department.objects.get(code="WGLT"), Department.objects.get(code="PT_WGLT"))
    WarningOrder.objects.bulk_create([WarningOrder(warning=w, order=o) for o in orders])
    return w


def test_a_department_sees_the_warnings_copied_to_it(client, make_user, warning):
    client.force_login(make_user("wl", "handler", "PT_WGLT"))
    page = client.get(reverse("warnings:list"))
    assert page.status_code == 200 and warning.title in page.content.decode()
    detail = client.get(reverse("warnings:detail", args=[warning.pk])).content.decode()
    assert "基线与观测" in detail and "W-" in detail and "4.2" in detail


def test_another_departments_warning_is_a_404_and_audited(client, make_user, warning):
    client.force_login(make_user("jt", "handler", "PT_JTYS"))
    assert warning.title not in client.get(reverse("warnings:list")).content.decode()
    assert client.get(reverse("warnings:detail", args=[warning.pk])).status_code == 404
    assert client.post(reverse("warnings:acknowledge", args=[warning.pk])).status_code == 404
    assert AuditLog.objects.filter(action="denied", object_type="warnings.warning", object_id=str(warning.pk)).count() == 2
    warning.refresh_from_db()
    assert warning.state == State.NEW


def test_handler_acknowledges_then_follows_up(client, make_user, warning):
    user = make_user("wl", "handler", "PT_WGLT")
    client.force_login(user)
    client.post(reverse("warnings:acknowledge", args=[warning.pk]), {"note": "已阅，安排核查"})
    warning.refresh_from_db()
    assert warning.state == State.ACKNOWLEDGED and warning.acknowledged_by == user
    # a follow-up without text is refused with a Chinese message
    page = client.post(reverse("warnings:follow_up", args=[warning.pk]), {"action": ""}, follow=True)
    assert "请填写跟进措施" in page.content.decode()
    client.post(reverse("warnings:follow_up", args=[warning.pk]), {"action": "约谈东极镇民宿业主，督促按规定退款"})
    warning.refresh_from_db()
    assert warning.state == State.FOLLOWED_UP and "约谈东极镇民宿业主" in warning.follow_up
    assert list(warning.actions.values_list("kind", flat=True)) == ["acknowledged", "followed_up"]
    assert AuditLog.objects.filter(action="change", object_id=str(warning.pk), detail__event="warning_follow_up").exists()
    # handlers do not close
    assert client.post(reverse("warnings:close", args=[warning.pk]), {"note": "x"}).status_code == 403


def test_leader_reads_all_and_acknowledges_but_does_not_follow_up(client, make_user, warning):
    client.force_login(make_user("boss", "leader"))
    assert warning.title in client.get(reverse("warnings:list")).content.decode()
    assert client.post(reverse("warnings:follow_up", args=[warning.pk]), {"action": "x"}).status_code == 403
    client.post(reverse("warnings:acknowledge", args=[warning.pk]), {"note": "阅"})
    warning.refresh_from_db()
    assert warning.state == State.ACKNOWLEDGED


def test_supervisor_closes_and_filters(client, make_user, warning):
    client.force_login(make_user("sup", "supervisor", "SFJ"))
    client.post(reverse("warnings:close", args=[warning.pk]), {"note": "已督促整改完毕"})
    warning.refresh_from_db()
    assert warning.state == State.CLOSED
    assert warning.title not in client.get(reverse("warnings:list"), {"state": "open"}).content.decode()
    assert warning.title in client.get(reverse("warnings:list"), {"state": "closed", "level": "red"}).content.decode()
    bad = client.get(reverse("warnings:list"), {"date_from": "2026-11-20", "date_to": "2026-11-01"}).content.decode()
    assert "开始日期不能晚于结束日期" in bad


def test_nav_link_shows_for_roles_with_the_permission(client, make_user):
    client.force_login(make_user("wl", "handler", "PT_WGLT"))
    assert "预警抄报" in client.get(reverse("warnings:list")).content.decode()
