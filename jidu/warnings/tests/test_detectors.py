"""The four detectors on planted data, dedupe, and copy-reporting."""

import datetime as dt

import pytest

from jidu.warnings.detectors.base import DayTypes
from jidu.warnings.models import DetectorConfig, State, Warning, WarningOrder
from jidu.warnings.services import run_detectors
from jidu.warnings.tests.conftest import at

pytestmark = pytest.mark.django_db


def history(make_orders, end: dt.date, days: int, per_type: dict, **kw):
    """Daily orders before ``end`` with counts by day type (workday / restday / holiday)."""
    cal = DayTypes(end - dt.timedelta(days=days), end)
    starts = []
    for i in range(days, 0, -1):
        d = end - dt.timedelta(days=i)
        t = at(f"{d.isoformat()} 08:00")
        n = per_type.get(cal.of(d), per_type["workday"])
        starts += [t + dt.timedelta(hours=12 * j / n) for j in range(n)]
    make_orders(len(starts), starts, **kw)


def debug_spike(now):
    from jidu.warnings.detectors import spike
    from jidu.warnings.services import detector_params

    params = {**detector_params()["spike"], "p_value": 1.0, "min_ratio": 0}
    return [(f.title, f.evidence["windows"], f.evidence["baseline"]) for f in spike.detect(now, params)]


def spikes(warnings, dimension=None):
    return [w for w in warnings if w.kind == "spike" and (dimension is None or w.dimension == dimension)]


def test_planted_burst_raises_one_spike_copied_to_the_responsible_departments(make_orders, make_user):
    history(make_orders, dt.date(2026, 11, 12), 70, {"workday": 2, "restday": 2, "holiday": 2})
    make_orders(30, "2026-11-12 08:00", spread_hours=14)  # the ferry-refund burst
    wenlv = make_user("wl", "handler", "WGLT")
    warnings = run_detectors(at("2026-11-12 23:00"))
    problem = [w for w in spikes(warnings, "problem")]
    assert len(problem) == 1
    w = problem[0]
    assert w.key_label == "退订退款纠纷" and w.observed == 30 and w.expected < 6
    assert w.level == "red" and w.leaders_copied
    assert {"WGLT", "SCJG", "PT_WGLT"} <= set(w.departments.values_list("code", flat=True))
    assert WarningOrder.objects.filter(warning=w).count() == 30
    assert w.evidence["baseline"]["level_per_workday"] == pytest.approx(2, abs=0.3)
    # copied by notification (urgent: red) to the department's users
    from jidu.notifications.models import Notification

    note = Notification.objects.get(user=wenlv, dedupe_key=f"warning:{w.pk}:red")
    assert note.urgent and f"/warnings/{w.pk}/" in note.url


def test_no_spike_without_a_burst(make_orders):
    history(make_orders, dt.date(2026, 11, 12), 70, {"workday": 3, "restday": 3, "holiday": 3})
    make_orders(4, "2026-11-12 08:00")
    assert spikes(run_detectors(at("2026-11-12 23:00"))) == []


def test_holiday_rise_the_baseline_has_seen_before_is_not_a_spike(make_orders):
    # a year of history: 4 a working day, 20 on statutory holidays (last year's 国庆, 春节, 五一 …)
    history(make_orders, dt.date(2026, 10, 2), 364, {"workday": 4, "restday": 4, "holiday": 20},
            field="市场监管", problems=("价格违法",), area="沈家门街道", lead="PT_SCJG")
    make_orders(20, "2026-10-02 08:00", spread_hours=12, field="市场监管", problems=("价格违法",), area="沈家门街道", lead="PT_SCJG")
    on_holiday = run_detectors(at("2026-10-02 22:00"), only=["spike"])
    assert spikes(on_holiday) == [], [(w.title, w.evidence["windows"]) for w in on_holiday]


def test_the_same_rise_on_a_working_day_is_a_spike(make_orders):
    history(make_orders, dt.date(2026, 10, 14), 364, {"workday": 4, "restday": 4, "holiday": 20},
            field="市场监管", problems=("价格违法",), area="沈家门街道", lead="PT_SCJG")
    make_orders(20, "2026-10-14 08:00", spread_hours=12, field="市场监管", problems=("价格违法",), area="沈家门街道", lead="PT_SCJG")
    found = spikes(run_detectors(at("2026-10-14 22:00"), only=["spike"]), "problem")
    assert [w.key_label for w in found] == ["价格违法"], debug_spike(at("2026-10-14 22:00"))
    assert found[0].evidence["baseline"]["factors"]["法定节假日"] > 3


def test_rerunning_updates_the_ongoing_warning_instead_of_raising_another(make_orders):
    history(make_orders, dt.date(2026, 11, 12), 60, {"workday": 2, "restday": 2, "holiday": 2})
    make_orders(20, "2026-11-12 08:00", spread_hours=10)
    first = run_detectors(at("2026-11-12 20:00"))
    again = run_detectors(at("2026-11-12 20:00"))
    assert sorted(w.pk for w in first) == sorted(w.pk for w in again)
    count = Warning.objects.count()
    make_orders(10, "2026-11-12 21:00", spread_hours=2)
    later = run_detectors(at("2026-11-13 00:00"))
    assert Warning.objects.count() == count
    w = Warning.objects.get(kind="spike", dimension="problem")
    assert w.detections == 2 and w.observed == 30 and w in later
    assert WarningOrder.objects.filter(warning=w).count() == 30


def test_an_episode_that_ended_and_recurs_raises_a_new_warning(make_orders):
    history(make_orders, dt.date(2026, 11, 1), 60, {"workday": 1, "restday": 1, "holiday": 1})
    make_orders(20, "2026-11-01 08:00", spread_hours=10)
    run_detectors(at("2026-11-01 20:00"), only=["spike"])
    run_detectors(at("2026-11-06 20:00"), only=["spike"])  # quiet for days: the episode ends
    old = Warning.objects.get(kind="spike", dimension="problem")
    assert not old.ongoing and old.actions.filter(kind="ended").exists()
    make_orders(25, "2026-11-12 08:00", spread_hours=10)
    run_detectors(at("2026-11-12 20:00"), only=["spike"])
    assert Warning.objects.filter(kind="spike", dimension="problem").count() == 2


def test_thresholds_are_data_an_administrator_edits(make_orders):
    history(make_orders, dt.date(2026, 11, 12), 60, {"workday": 2, "restday": 2, "holiday": 2})
    make_orders(30, "2026-11-12 08:00", spread_hours=14)
    cfg = DetectorConfig.objects.get(code="spike")
    cfg.params = {**cfg.params, "min_count": 40}
    cfg.save()
    assert spikes(run_detectors(at("2026-11-12 23:00"))) == []
    DetectorConfig.objects.filter(code="spike").update(enabled=False)
    from io import StringIO

    from django.core.management import call_command

    call_command("load_warning_defaults", stdout=StringIO())  # never overwrites the edit
    cfg.refresh_from_db()
    assert cfg.params["min_count"] == 40 and not cfg.enabled


def test_cluster_of_similar_complaints_about_one_business(make_orders):
    biz = {"name": "东极渔家客栈民宿", "uscc": "91330903MA2A1B2C3D"}
    make_orders(5, "2026-11-12 09:00", spread_hours=4, business=biz, area="东极镇", text="东极渔家客栈民宿因停航不给退房费，老板说订单不可取消",
                title="民宿拒绝退款")
    # same business, an unrelated matter: not part of the cluster
    make_orders(1, "2026-11-12 10:00", business=biz, area="东极镇", problems=("食品安全",),
                text="早餐的鸡蛋发臭，厨房卫生很差", title="食品卫生")
    # similar texts naming other businesses elsewhere: no business cluster
    for i, area in enumerate(["沈家门街道", "定海区", "菜园镇"]):
        make_orders(1, f"2026-11-12 1{i}:00", business={"name": f"海景{i}号民宿", "uscc": ""}, area=area,
                    text="因停航不给退房费，老板说订单不可取消")
    found = [w for w in run_detectors(at("2026-11-12 20:00"), only=["cluster"]) if w.dimension == "business"]
    assert len(found) == 1
    w = found[0]
    assert w.key == "uscc:91330903MA2A1B2C3D" and w.observed == 5
    assert w.evidence["mean_similarity"] >= 0.3
    assert {"WGLT", "SCJG"} <= set(w.departments.values_list("code", flat=True))


def test_repeat_offender_after_an_earlier_warning(make_orders):
    biz = {"name": "沈家门阿海海鲜排档", "uscc": "92330903MA2B3C4D5E"}
    make_orders(4, "2026-10-20 11:00", spread_hours=4, business=biz, area="沈家门街道", field="市场监管", problems=("短斤少两",),
                lead="PT_SCJG", text="沈家门阿海海鲜排档称重缺斤短两，一斤梭子蟹少了三两", title="短斤少两")
    run_detectors(at("2026-10-20 20:00"), only=["cluster"])
    run_detectors(at("2026-10-25 20:00"), only=["cluster"])  # the cluster episode ends
    assert not Warning.objects.get(kind="cluster", dimension="business").ongoing
    make_orders(1, "2026-11-12 12:00", business=biz, area="沈家门街道", field="市场监管", problems=("短斤少两",),
                lead="PT_SCJG", text="又在这家排档被缺斤少两了", title="再次短斤少两")
    found = run_detectors(at("2026-11-12 20:00"), only=["repeat_offender"])
    assert [w.kind for w in found] == ["repeat_offender"]
    w = found[0]
    assert w.key == "uscc:92330903MA2B3C4D5E" and w.observed == 1
    assert w.evidence["prior"][0]["label"].startswith("预警")
    assert "PT_SCJG" in set(w.departments.values_list("code", flat=True))


def test_repeat_offender_after_a_supervision_case_about_the_business(make_orders):
    from jidu.supervision.models import SupervisionCase

    biz = {"name": "普陀山香客旅社", "uscc": ""}
    [old] = make_orders(1, "2026-10-01 11:00", business=biz, area="普陀山镇", text="普陀山香客旅社乱收费", title="乱收费")
    case = SupervisionCase.objects.create(subject="普陀山香客旅社乱收费监督", opened_at=at("2026-10-05 09:00"))
    case.orders.add(old)
    make_orders(1, "2026-11-12 12:00", business=biz, area="普陀山镇", text="普陀山香客旅社又乱收费", title="乱收费")
    found = run_detectors(at("2026-11-12 20:00"), only=["repeat_offender"])
    assert [w.key_label for w in found] == ["普陀山香客旅社"]
    assert found[0].evidence["prior"][0]["label"] == "执法监督案件"


def test_no_repeat_offender_while_the_first_episode_goes_on(make_orders):
    biz = {"name": "朱家尖望海民宿", "uscc": ""}
    make_orders(4, "2026-11-10 11:00", spread_hours=4, business=biz, text="朱家尖望海民宿虚假宣传海景房，实际看不到海", title="虚假宣传",
                problems=("虚假宣传",))
    run_detectors(at("2026-11-10 20:00"), only=["cluster", "repeat_offender"])
    make_orders(1, "2026-11-11 09:00", business=biz, text="朱家尖望海民宿说是海景房其实看不到海", title="虚假宣传",
                problems=("虚假宣传",))
    found = run_detectors(at("2026-11-11 20:00"), only=["cluster", "repeat_offender"])
    assert not [w for w in found if w.kind == "repeat_offender"]


def test_deadlines_at_risk_for_orders_and_disputes(make_orders):
    now = at("2026-11-12 10:00")
    make_orders(3, "2026-11-01 09:00", lead="PT_ZHZF", due_at=now + dt.timedelta(hours=5), problems=())
    make_orders(2, "2026-11-01 09:00", lead="PT_SCJG", due_at=now + dt.timedelta(hours=5), problems=())  # below 3
    make_orders(5, "2026-11-01 09:00", lead="PT_JTYS", due_at=now + dt.timedelta(hours=5), problems=(), status="closed")
    [order] = make_orders(1, "2026-11-12 07:00", lead="PT_WGLT", problems=())
    from jidu.jurisdiction.models import Dispute
    from jidu.org.models import Department

    Dispute.objects.create(order=order, returning_department=Department.objects.get(code="PT_WGLT"),
                           opened_at=now - dt.timedelta(hours=21), due_at=now + dt.timedelta(hours=3))
    found = run_detectors(now, only=["deadline_risk"])
    keys = sorted(w.key for w in found)
    assert keys == [f"dispute:{Dispute.objects.get().pk}", "orders:PT_ZHZF"]
    orders_w = next(w for w in found if w.key == "orders:PT_ZHZF")
    assert orders_w.observed == 3 and list(orders_w.departments.values_list("code", flat=True)) == ["PT_ZHZF"]
    dispute_w = next(w for w in found if w.dimension == "dispute")
    assert dispute_w.level == "yellow" and "PT_WGLT" in set(dispute_w.departments.values_list("code", flat=True))
    # once the dispute is decided it is no longer at risk; the warning stops being ongoing
    Dispute.objects.update(state="decided")
    run_detectors(now + dt.timedelta(hours=2.5), only=["deadline_risk"])
    dispute_w.refresh_from_db()
    assert not dispute_w.ongoing and dispute_w.state == State.NEW


def test_detect_warnings_command_rejects_a_bad_moment():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="无法识别"):
        call_command("detect_warnings", "--at", "昨天")


def _summary(warnings):
    return sorted((w.kind, w.dimension, w.key, w.level, w.observed, w.expected, w.score) for w in warnings)


def test_spike_baselines_read_from_the_measures_rollup_equal_the_direct_counts(make_orders):
    """With the measures app's daily pre-aggregation built, the spike detector reads its per-day
    series from it (no scan of a year of orders); the series and the warnings are the same as
    when it counts the orders directly — also for a problem label the rollup leaves out."""
    from django.utils import timezone

    from jidu.measures import services as ms
    from jidu.screening.models import OrderProblem
    from jidu.warnings.detectors import spike

    history(make_orders, dt.date(2026, 11, 12), 120, {"workday": 3, "restday": 2, "holiday": 1},
            field="市场监管", problems=("价格违法", "短斤少两"), area="沈家门街道", lead="PT_SCJG", tourism=False)
    history(make_orders, dt.date(2026, 11, 12), 90, {"workday": 1, "restday": 3, "holiday": 5})
    make_orders(25, "2026-11-12 08:00", spread_hours=14)
    suggested = OrderProblem.objects.filter(problem__name="短斤少两").order_by("pk")[:40]
    OrderProblem.objects.filter(pk__in=[p.pk for p in suggested]).update(state="suggested")
    now = at("2026-11-12 23:00")
    last = dt.date(2026, 11, 8)
    assert not spike.rollup_ready(last, [])
    direct = run_detectors(now, only=["spike"], notify=False)
    assert spikes(direct, "problem")
    keys = {
        "field": [f for f in spike.Field.objects.values_list("pk", flat=True)],
        "area": [a for a in spike.Area.objects.values_list("pk", flat=True)],
        "problem": [p for p in spike.ProblemType.objects.values_list("pk", flat=True)],
    }
    raw = {dim: spike._daily_db(dim, ks, dt.date(2026, 6, 1), last, []) for dim, ks in keys.items()}

    ms.refresh(full=True, now=timezone.now())
    assert spike.rollup_ready(last, []) and not spike.rollup_ready(last, ["投诉"])
    rolled = {dim: spike._daily_rollup(dim, ks, dt.date(2026, 6, 1), last) for dim, ks in keys.items()}
    for dim in keys:
        assert {k: v for k, v in rolled[dim].items() if v} == {k: v for k, v in raw[dim].items() if v}, dim
    assert sum(sum(n for n, _t in daily.values()) for daily in rolled["problem"].values()) > 0

    Warning.objects.all().delete()
    spike.clear_cache()
    assert _summary(run_detectors(now, only=["spike"], notify=False)) == _summary(direct)
