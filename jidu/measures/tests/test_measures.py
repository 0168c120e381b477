import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jidu.measures import services as ms
from jidu.measures.models import DailyCount, MeasureSetting
from jidu.measures.tests.conftest import PERIOD

pytestmark = pytest.mark.django_db


def _in(moment, first=PERIOD[0], last=PERIOD[1]):
    return moment is not None and first <= timezone.localtime(moment).date() <= last


def expected(planned, code, dept=None, areas=None, field=None, basic=True, first=PERIOD[0], last=PERIOD[1]):
    """The measure counted by hand, from the attributes the fixture chose."""
    rows = [p for p in planned if (dept is None or p.dept == dept) and (areas is None or p.area in areas)
            and (field is None or p.field == field)]
    rec = [p for p in rows if _in(p.received_at, first, last)]
    due = [p for p in rows if _in(p.due_at, first, last) and p.status != "terminated"]
    live = [p for p in rec if p.status != "terminated"]
    dispatched = [p for p in live if p.status != "received"]
    reopened = lambda p: p.status == "reopened" or p.reopened_event  # noqa: E731
    in_time = lambda p: p.replied_at is not None and (p.due_at is None or p.replied_at <= p.due_at)  # noqa: E731
    called = [p for p in live if p.callback_at is not None or reopened(p)]
    sats = {"satisfied", "basic"} if basic else {"satisfied"}
    closed = [p for p in due if p.status in ("closed", "archived")]
    table = {
        "received": (len(rec), None),
        "reply_rate": (sum(1 for p in dispatched if in_time(p)), len(dispatched)),
        "completion_rate": (len(closed), len(due)),
        "ontime_completion_rate": (sum(1 for p in closed if in_time(p)), len(due)),
        "first_callback_satisfaction": (sum(1 for p in called if p.satisfaction in sats and not reopened(p)),
                                        len(called)),
        "satisfaction_rate": (sum(1 for p in live if p.satisfaction in sats),
                              sum(1 for p in live if p.satisfaction in ("satisfied", "basic", "unsatisfied"))),
        "resolution_rate": (sum(1 for p in live if p.resolution == "resolved"),
                            sum(1 for p in live if p.resolution in ("resolved", "partial", "unresolved"))),
        "return_rate": (sum(1 for p in dispatched if p.returned_event or p.status == "return_requested"),
                        len(dispatched)),
        "reopen_rate": (sum(1 for p in live if reopened(p)), len(called)),
    }
    return table[code]


ORDER_CODES = [c for c, m in ms.MEASURES.items() if m.is_order_measure]


@pytest.mark.parametrize("code", ORDER_CODES)
def test_each_order_measure_matches_a_count_by_hand(dataset, code):
    v = ms.compute(code, ms.Filters(*PERIOD))
    num, den = expected(dataset, code)
    assert (v.numerator, v.denominator) == (num, den)
    assert num > 0 and (den is None or den > num or code == "reply_rate")


@pytest.mark.parametrize("code", ORDER_CODES)
def test_rollup_gives_the_same_figures_as_the_orders(dataset, code):
    ms.refresh()
    from jidu.org.models import Area

    putuo = Area.objects.get(code="330903")
    for f in (ms.Filters(*PERIOD), ms.Filters(*PERIOD, area=putuo), ms.Filters(dt.date(2026, 9, 3), dt.date(2026, 9, 9))):
        live, rolled = ms.compute(code, f), ms.compute(code, f, rollup=True)
        assert (live.numerator, live.denominator) == (rolled.numerator, rolled.denominator)


def test_area_filter_includes_sub_areas_and_department_is_the_lead(dataset):
    from jidu.org.models import Area, Department

    putuo = Area.objects.get(code="330903")
    v = ms.compute("reply_rate", ms.Filters(*PERIOD, area=putuo))
    assert (v.numerator, v.denominator) == expected(dataset, "reply_rate", areas={"330903", "330903001"})
    scjg = Department.objects.get(code="SCJG")
    v = ms.compute("completion_rate", ms.Filters(*PERIOD, department=scjg))
    assert (v.numerator, v.denominator) == expected(dataset, "completion_rate", dept="SCJG")
    from jidu.org.models import Field

    wenlv = Field.objects.get(code="wenlv")
    v = ms.compute("satisfaction_rate", ms.Filters(*PERIOD, field=wenlv.pk))
    assert (v.numerator, v.denominator) == expected(dataset, "satisfaction_rate", field="wenlv")


def test_basic_satisfaction_counts_per_setting(dataset):
    setting = MeasureSetting.objects.get()
    setting.basic_counts_as_satisfied = False
    setting.save()
    v = ms.compute("first_callback_satisfaction", ms.Filters(*PERIOD))
    assert (v.numerator, v.denominator) == expected(dataset, "first_callback_satisfaction", basic=False)
    assert v.numerator < expected(dataset, "first_callback_satisfaction")[0]


def test_small_samples_are_marked_and_never_ranked(dataset):
    setting = MeasureSetting.objects.get()
    setting.small_sample_threshold = 1000
    setting.save()
    rows = ms.table(ms.Filters(*PERIOD), "department")
    by_label = {r.label: r for r in rows}
    assert all(r.values["reply_rate"].small_sample for r in rows)  # every group is below 1000
    assert all(r.ranks["reply_rate"] is None for r in rows)
    setting.small_sample_threshold = 40
    setting.save()
    rows = ms.table(ms.Filters(*PERIOD), "department")
    ranked = [r for r in rows if r.ranks["reply_rate"]]
    small = [r for r in rows if r.values["reply_rate"].small_sample]
    assert ranked and small  # some groups above the threshold, some below
    assert all(not r.values["reply_rate"].small_sample for r in ranked)
    assert all(r.ranks["reply_rate"] is None for r in small)
    values = [r.values["reply_rate"].value for r in sorted(ranked, key=lambda r: r.ranks["reply_rate"])]
    assert values == sorted(values, reverse=True)
    assert any("市场" in label for label in by_label)  # labels are department names


def test_table_by_department_matches_counts_by_hand(dataset):
    from jidu.org.models import Department

    codes = {d.pk: d.code for d in Department.objects.filter(code__in=["SCJG", "WGLT", "ZHZF"])}
    for rollup in (False, True):
        if rollup:
            ms.refresh()
        for r in ms.table(ms.Filters(*PERIOD), "department", rollup=rollup):
            if r.key is None:
                continue
            for code in ("reply_rate", "ontime_completion_rate", "reopen_rate"):
                v = r.values[code]
                assert (v.numerator, v.denominator) == expected(dataset, code, dept=codes[r.key])


def test_table_by_area_folds_sub_areas_into_districts(dataset):
    rows = {r.label: r.received for r in ms.table(ms.Filters(*PERIOD), "area", codes=["received"])}
    assert rows["普陀区"] == expected(dataset, "received", areas={"330903", "330903001"})[0]
    assert rows["定海区"] == expected(dataset, "received", areas={"330902", "330902001"})[0]


def test_incremental_refresh_picks_up_a_changed_order(dataset):
    from jidu.orders.models import WorkOrder

    ms.refresh()
    f = ms.Filters(*PERIOD)
    before = ms.compute("completion_rate", f, rollup=True)
    p = next(p for p in dataset if _in(p.due_at) and p.status in ("in_progress", "dispatched"))
    WorkOrder.objects.filter(pk=p.pk).update(status="closed", updated_at=timezone.now())
    assert ms.compute("completion_rate", f, rollup=True).numerator == before.numerator  # not yet refreshed
    summary = ms.refresh()
    assert "增量" in summary
    assert ms.compute("completion_rate", f, rollup=True).numerator == before.numerator + 1
    assert ms.compute("completion_rate", f).numerator == before.numerator + 1


def test_refresh_is_idempotent(dataset):
    ms.refresh()
    rows = lambda: sorted(tuple(str(v) for k, v in r.items() if k != "id")  # noqa: E731
                          for r in DailyCount.objects.values())
    first = rows()
    ms.refresh(full=True)
    assert rows() == first and first
    out = StringIO()
    call_command("refresh_measures", stdout=out)
    assert "刷新" in out.getvalue()


def test_bad_filters_are_refused_in_chinese():
    with pytest.raises(ValueError, match="结束不能早于开始"):
        ms.Filters(dt.date(2026, 9, 30), dt.date(2026, 9, 1))
    with pytest.raises(ValueError, match="未知主题"):
        ms.Filters(*PERIOD, theme="bogus")
    with pytest.raises(KeyError):
        ms.compute("no_such_measure", ms.Filters(*PERIOD))


def test_every_measure_has_a_formula_and_a_source():
    for code, m in ms.MEASURES.items():
        assert m.name and m.formula and m.source, code
    for code in ("reply_rate", "completion_rate", "ontime_completion_rate", "first_callback_satisfaction",
                 "satisfaction_rate", "resolution_rate", "return_rate", "reopen_rate", "disputes_settled",
                 "disputes_within_24h", "supervision_opened", "supervision_closed", "documents_issued",
                 "rectifications", "money_recovered", "repeat_avoided"):
        assert code in ms.MEASURES


def test_measures_of_missing_sources_say_no_data_instead_of_failing(db):
    for code in ("supervision_opened", "rectifications", "money_recovered", "repeat_avoided", "documents_issued"):
        v = ms.compute(code, ms.Filters(*PERIOD))
        assert v.value is None or isinstance(v.value, (int, float))
        if v.value is None:
            assert v.display in (ms.NO_DATA, "不按区域/领域/主题分解")


def test_dispute_measures_delegate_to_jurisdiction(dataset, make_user):
    from jidu.jurisdiction.models import Dispute
    from jidu.orders.models import WorkOrder

    tz = timezone.get_current_timezone()
    opened = dt.datetime(2026, 9, 5, 10, tzinfo=tz)
    orders = list(WorkOrder.objects.order_by("pk")[:3])
    Dispute.objects.create(order=orders[0], opened_at=opened, due_at=opened + dt.timedelta(hours=24),
                           state="decided", decided_at=opened + dt.timedelta(hours=3))
    Dispute.objects.create(order=orders[1], opened_at=opened, due_at=opened + dt.timedelta(hours=24),
                           state="decided", decided_at=opened + dt.timedelta(hours=30))
    Dispute.objects.create(order=orders[2], opened_at=opened, due_at=opened + dt.timedelta(hours=24))
    settled = ms.compute("disputes_settled", ms.Filters(*PERIOD))
    share = ms.compute("disputes_within_24h", ms.Filters(*PERIOD))
    assert (settled.numerator, settled.denominator) == (2, 3)
    assert (share.numerator, share.denominator) == (1, 3) and share.small_sample
    from jidu.org.models import Area

    assert ms.compute("disputes_settled", ms.Filters(*PERIOD, area=Area.objects.get(code="330903"))).value is None


def test_load_measure_defaults_never_overwrites_an_edit(db):
    setting = MeasureSetting.objects.get()
    setting.small_sample_threshold = 12
    setting.save()
    out = StringIO()
    call_command("load_measure_defaults", stdout=out)
    assert MeasureSetting.objects.get().small_sample_threshold == 12
    assert "未改动" in out.getvalue()


def test_supervision_measures_count_cases_rectifications_and_money(db, make_user):
    from decimal import Decimal

    from jidu.org.models import Department

    supervision = pytest.importorskip("jidu.supervision.models")
    tz = timezone.get_current_timezone()
    at = dt.datetime(2026, 9, 10, 10, tzinfo=tz)
    scjg, wglt = Department.objects.get(code="SCJG"), Department.objects.get(code="WGLT")
    case = supervision.SupervisionCase.objects.create(subject="测试案件", opened_at=at, closed_at=at + dt.timedelta(days=3))
    case.departments.add(scjg, wglt)
    other = supervision.SupervisionCase.objects.create(subject="期外案件", opened_at=at - dt.timedelta(days=60))
    other.departments.add(scjg)
    supervision.Rectification.objects.create(case=case, department=scjg, text="已整改", outcome="accepted",
                                             reviewed_at=at + dt.timedelta(days=2))
    supervision.Rectification.objects.create(case=case, department=wglt, text="未通过", outcome="returned",
                                             reviewed_at=at + dt.timedelta(days=2))
    supervision.CaseResult.objects.create(case=case, money_recovered=Decimal("1234.50"), at=at + dt.timedelta(days=3))
    f = ms.Filters(*PERIOD)
    values = ms.compute_many(["supervision_opened", "supervision_closed", "rectifications", "money_recovered",
                              "repeat_avoided"], f)
    assert values["supervision_opened"].value == 1
    assert values["supervision_closed"].value == 1
    assert values["rectifications"].value == 1
    assert values["money_recovered"].value == 1234.5 and values["money_recovered"].display == "1,234.50元"
    # the case names no business and its 90-day follow-up has not ended inside the period
    assert values["repeat_avoided"].value == 0
    assert ms.compute("supervision_opened", ms.Filters(*PERIOD, department=wglt)).value == 1
    assert ms.compute("rectifications", ms.Filters(*PERIOD, department=wglt)).value == 0


def _rollup_snapshot():
    from jidu.measures.models import DailyProblemCount

    def rows(model):
        return sorted(tuple(str(v) for k, v in r.items() if k != "id") for r in model.objects.values())

    return rows(DailyCount), rows(DailyProblemCount)


def _midnight_orders(source, tz):
    """Orders a moment either side of local midnight (received and due), where a wrong date
    conversion would move them to the neighbouring day."""
    from jidu.orders.models import WorkOrder
    from jidu.org.models import Department

    dept = Department.objects.get(code="SCJG")
    orders = []
    for i, day in enumerate([dt.date(2026, 9, 1), dt.date(2026, 9, 15), dt.date(2026, 9, 30), dt.date(2026, 10, 1)]):
        midnight = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
        for j, moment in enumerate([midnight - dt.timedelta(microseconds=1), midnight,
                                    midnight - dt.timedelta(seconds=1), midnight + dt.timedelta(seconds=1)]):
            orders.append(WorkOrder(source=source, order_no=f"MID-{i}-{j}", order_type="complaint", received_at=moment,
                                    content="午夜前后", status="closed", lead_department=dept, due_at=moment
                                    + dt.timedelta(days=3), replied_at=moment + dt.timedelta(days=1),
                                    source_version=moment))
    WorkOrder.objects.bulk_create(orders)


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin"])  # Berlin: DST ends 2026-10-25
def test_set_based_rebuild_equals_the_day_by_day_rebuild(dataset, source, zone):
    import zoneinfo

    tz = zoneinfo.ZoneInfo(zone)
    with timezone.override(tz):
        _midnight_orders(source, tz)
        days = ms._all_days()
        assert ms.rebuild_days(days, set_based=False)
        by_day = _rollup_snapshot()
        from jidu.measures.models import DailyProblemCount

        DailyCount.objects.all().delete()
        DailyProblemCount.objects.all().delete()
        assert ms.rebuild_days(days)
        assert _rollup_snapshot() == by_day
        assert by_day[0] and by_day[1]
        # and an incremental rebuild of scattered days leaves the same rows
        ms.rebuild_days([dt.date(2026, 9, 1), dt.date(2026, 9, 2), dt.date(2026, 9, 30), dt.date(2026, 10, 1)])
        assert _rollup_snapshot() == by_day
        # every counter of the rollup equals a direct count, month by month and around midnight
        for first, last in [(dt.date(2026, 9, 1), dt.date(2026, 9, 30)), (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
                            (dt.date(2026, 9, 30), dt.date(2026, 10, 1))]:
            f = ms.Filters(first, last)
            assert ms.rollup_counts(f, list(ms.COUNTERS)) == ms.live_counts(f, list(ms.COUNTERS))


def test_local_date_needs_one_fixed_offset():
    import zoneinfo

    utc = dt.timezone.utc
    shanghai, berlin = zoneinfo.ZoneInfo("Asia/Shanghai"), zoneinfo.ZoneInfo("Europe/Berlin")
    year = (dt.datetime(2026, 1, 1, tzinfo=utc), dt.datetime(2027, 1, 1, tzinfo=utc))
    assert ms.fixed_offset(shanghai, *year) == 8 * 3600
    assert ms.fixed_offset(berlin, *year) is None
    assert ms.fixed_offset(berlin, dt.datetime(2026, 11, 1, tzinfo=utc), dt.datetime(2026, 12, 1, tzinfo=utc)) == 3600
    assert ms.fixed_offset(shanghai, dt.datetime(1988, 1, 1, tzinfo=utc), dt.datetime(1989, 1, 1, tzinfo=utc)) is None
