import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.utils import timezone

from jidu.core.models import AuditLog
from jidu.dashboard import services
from jidu.measures import services as ms
from jidu.measures.tests.conftest import PERIOD, dataset  # noqa: F401  (fixture)
from jidu.orders import services as order_services
from jidu.orders.models import WorkOrder
from jidu.org.models import Area, Department, Field, ProblemType

pytestmark = pytest.mark.django_db
PARAMS = {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()}


def _data(user, **params):
    form = services.DashboardForm({**PARAMS, **params}, user=user)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def _received(**q):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(PERIOD[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(PERIOD[1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end, **q)


def _orders_behind(link, user):
    """The orders the order queue shows for a figure's link."""
    parts = urlsplit(link)
    assert parts.path == "/orders/"
    form = order_services.OrderFilterForm(QueryDict(parts.query), user=user)
    assert form.is_valid(), form.errors
    return order_services.apply_filters(order_services.visible_orders(user), form.cleaned_data)


@pytest.fixture
def leader(make_user):
    return make_user("leader1", "leader")


@pytest.mark.parametrize("rollup", [False, True])
def test_every_number_on_the_dashboard_matches_a_direct_count(dataset, leader, rollup):  # noqa: F811
    if rollup:
        ms.refresh()
    ctx = services.build(leader, _data(leader))
    assert ctx["rollup"] is rollup
    kpi = {k.extra["code"]: k for k in ctx["kpis"]}
    assert kpi["received"].value == _received().count()
    assert _orders_behind(kpi["received"].link, leader).count() == _received().count()
    # rates: numerator/denominator shown as "n/d"
    live = _received().exclude(status="terminated")
    dispatched = live.exclude(status="received")
    assert kpi["reply_rate"].note.endswith(f"/{dispatched.count()}")
    assert kpi["resolution_rate"].note == (
        f"{live.filter(callback_resolution='resolved').count()}/"
        f"{live.filter(callback_resolution__in=['resolved', 'partial', 'unresolved']).count()}")
    # daily trend
    for fig in ctx["trend"]:
        day = dt.date.fromisoformat(fig.label)
        n = WorkOrder.objects.filter(received_at__date=day).count()
        assert fig.value == n, day
        assert _orders_behind(fig.link, leader).count() == n
    assert sum(f.value for f in ctx["trend"]) == _received().count()
    # areas (districts with their sub-areas)
    for fig in ctx["areas"]:
        if fig.link:
            area = Area.objects.get(name=fig.label)
            n = _received(area_id__in=area.descendant_ids()).count()
            assert fig.value == n and _orders_behind(fig.link, leader).count() == n
    assert sum(f.value for f in ctx["areas"]) == _received().count()
    # fields
    for fig in ctx["fields"]:
        if fig.link:
            n = _received(screening__field=Field.objects.get(name=fig.label)).count()
            assert fig.value == n and _orders_behind(fig.link, leader).count() == n
    # problem types
    assert ctx["problems"]
    for fig in ctx["problems"]:
        n = _received(screening__problems__problem=ProblemType.objects.get(name=fig.label)).distinct().count()
        assert fig.value == n and _orders_behind(fig.link, leader).count() == n
    # clue colours
    for fig in ctx["clues"]:
        n = _received(grade__colour=fig.extra["colour"]).count()
        assert fig.value == n and _orders_behind(fig.link, leader).count() == n
    # department table (lead department)
    for row in ctx["departments"]:
        if row.key is None:
            continue
        n = _received(lead_department_id=row.key).count()
        assert row.received == n and _orders_behind(row.link, leader).count() == n
        assert row.values["return_rate"].denominator == _received(lead_department_id=row.key).exclude(
            status__in=["terminated", "received"]).count()


def test_completion_figures_link_to_the_orders_due_in_the_period(dataset, leader):  # noqa: F811
    ctx = services.build(leader, _data(leader))
    kpi = {k.extra["code"]: k for k in ctx["kpis"]}
    behind = _orders_behind(kpi["completion_rate"].link, leader)
    assert "due_from" in kpi["completion_rate"].link
    assert kpi["completion_rate"].note.endswith(f"/{behind.exclude(status='terminated').count()}")


def test_filters_narrow_every_panel(dataset, leader):  # noqa: F811
    putuo = Area.objects.get(code="330903")
    scjg = Department.objects.get(code="SCJG")
    ctx = services.build(leader, _data(leader, area=putuo.pk, department=scjg.pk))
    n = _received(area_id__in=putuo.descendant_ids(), lead_department=scjg).count()
    assert ctx["kpis"][0].value == n
    assert [r.key for r in ctx["departments"]] == [scjg.pk]
    assert _orders_behind(ctx["kpis"][0].link, leader).count() == n
    wenlv = Field.objects.get(code="wenlv")
    ctx = services.build(leader, _data(leader, field=wenlv.pk, theme="tourism"))
    assert ctx["kpis"][0].value == _received(screening__field=wenlv, screening__tourism=True).count()


def test_handler_sees_only_their_department(dataset, make_user, client):  # noqa: F811
    handler = make_user("h-scjg", "handler", "SCJG")
    ctx = services.build(handler, _data(handler))
    scjg = Department.objects.get(code="SCJG")
    assert ctx["kpis"][0].value == _received(lead_department=scjg).count()
    assert {r.key for r in ctx["departments"]} == {scjg.pk}
    client.force_login(handler)
    assert client.get("/dashboard/", PARAMS).status_code == 200
    other = Department.objects.get(code="WGLT")
    response = client.get("/dashboard/", {**PARAMS, "department": other.pk})
    assert response.status_code == 404
    assert AuditLog.objects.filter(action=AuditLog.Action.DENIED, object_id=str(other.pk)).exists()


def test_handler_without_department_gets_a_clear_message(make_user, client):
    user = make_user("h-none", "handler")
    client.force_login(user)
    response = client.get("/dashboard/")
    assert "未关联部门" in response.content.decode()


def test_leader_reads_only_and_dispatcher_has_no_dashboard(make_user, client):
    client.force_login(make_user("leader2", "leader"))
    assert client.get("/dashboard/").status_code == 200
    assert client.post("/dashboard/").status_code == 405
    client.force_login(make_user("disp", "dispatcher"))
    assert client.get("/dashboard/").status_code == 403


def test_page_renders_tables_without_echarts(dataset, leader, client, monkeypatch):  # noqa: F811
    monkeypatch.setattr(services, "echarts_available", lambda: False)
    client.force_login(leader)
    html = client.get("/dashboard/", PARAMS).content.decode()
    assert "图表组件（ECharts）未安装" in html
    assert "echarts.min.js" not in html
    assert "受理量趋势" in html and "承办单位考核指标" in html
    assert "不再附带中国地图" in html


def test_page_loads_echarts_when_installed(leader, client, monkeypatch):
    monkeypatch.setattr(services, "echarts_available", lambda: True)
    client.force_login(leader)
    html = client.get("/dashboard/").content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "未安装" not in html


def test_small_samples_are_flagged_on_the_page(dataset, leader, client):  # noqa: F811
    client.force_login(leader)
    html = client.get("/dashboard/", PARAMS).content.decode()
    assert "样本过少" in html


def test_holidays_are_marked_on_the_trend(dataset, leader):  # noqa: F811
    ctx = services.build(leader, _data(leader, start="2026-09-25", end="2026-10-05"))
    marked = {f.label: f.note for f in ctx["trend"] if f.note}
    assert marked.get("2026-10-01")  # 国庆节


def test_bad_period_is_refused_in_chinese(leader, client):
    client.force_login(leader)
    html = client.get("/dashboard/", {"start": "2026-09-30", "end": "2026-09-01"}).content.decode()
    assert "开始日期不能晚于结束日期" in html


def test_htmx_filter_returns_only_the_body(dataset, leader, client):  # noqa: F811
    client.force_login(leader)
    response = client.get("/dashboard/", PARAMS, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dashboard-body")
    html = response.content.decode()
    assert "承办单位考核指标" in html and "<html" not in html


def test_open_warnings_and_disputes_with_their_clocks_are_shown(leader, client, source):
    from jidu.jurisdiction.models import Dispute

    warnings_models = pytest.importorskip("jidu.warnings.models")
    warnings_models.Warning.objects.create(kind=warnings_models.Kind.choices[0][0], title="测试预警-甲",
                                           dimension="area", key="330903")
    warnings_models.Warning.objects.create(kind=warnings_models.Kind.choices[0][0], title="已关闭预警-乙",
                                           dimension="area", key="330902", state="closed")
    now = timezone.now()
    order = WorkOrder.objects.create(source=source, order_no="D-0001", received_at=now, content="测试",
                                     source_version=now)
    Dispute.objects.create(order=order, opened_at=now - dt.timedelta(hours=20), due_at=now + dt.timedelta(hours=4))
    client.force_login(leader)
    html = client.get("/dashboard/").content.decode()
    assert "测试预警-甲" in html and "已关闭预警-乙" not in html
    assert "剩余 4.0 小时" in html or "剩余 3.9 小时" in html


def _figures(ctx):
    """Every figure of a dashboard, comparable between the live count and the rollup."""
    panels = {name: sorted((x.label, x.value, x.link) for x in ctx[name])
              for name in ("trend", "areas", "fields", "problems", "clues")}
    panels["kpis"] = [(k.extra["code"], k.value, k.note) for k in ctx["kpis"]]
    panels["departments"] = sorted((r.label, r.received, r.link, r.cells_html) for r in ctx["departments"])
    return panels


def test_rollup_panels_equal_the_live_panels_for_every_filter(dataset, leader):  # noqa: F811
    """Each panel reads the smallest rollup rows (T, one-dimension a/A u/U f/F, or the D/M cube):
    whatever rows are picked, every figure equals the one counted from the orders."""
    putuo = Area.objects.get(code="330903")
    scjg = Department.objects.get(code="SCJG")
    wenlv = Field.objects.get(code="wenlv")
    period = {"start": "2026-08-28", "end": "2026-10-03"}  # edge days and a whole month
    combos = [{}, {"area": putuo.pk}, {"department": scjg.pk}, {"field": wenlv.pk}, {"theme": "tourism"},
              {"area": putuo.pk, "department": scjg.pk}, {"field": wenlv.pk, "theme": "tourism"}]
    live = [services.build(leader, _data(leader, **period, **c)) for c in combos]
    assert not live[0]["rollup"]
    ms.refresh()
    from jidu.measures.models import DailyCount, Grain

    assert set(DailyCount.objects.values_list("grain", flat=True).distinct()) == set(Grain.values)
    for params, expected in zip(combos, live, strict=True):
        ctx = services.build(leader, _data(leader, **period, **params))
        assert ctx["rollup"]
        assert _figures(ctx) == _figures(expected), params
