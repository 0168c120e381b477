"""避免重复违法 (measures `repeat_avoided`) counted from supervision interventions and the
repeat-offender warnings that followed them."""

import datetime as dt

from jidu.measures import services as ms
from jidu.measures.models import MeasureSetting
from jidu.warnings.services import run_detectors
from jidu.warnings.tests.conftest import at


def _case_about(order, when):
    from jidu.supervision.models import SupervisionCase

    case = SupervisionCase.objects.create(subject="经营主体投诉监督", opened_at=at(when))
    case.orders.add(order)
    return case


def test_businesses_not_complained_of_again_within_the_follow_up_count_as_avoided(make_orders):
    MeasureSetting.objects.update_or_create(pk=1, defaults={"repeat_followup_days": 30})
    quiet = {"name": "普陀山香客旅社", "uscc": ""}
    again = {"name": "沈家门阿海海鲜排档", "uscc": "92330903MA2B3C4D5E"}
    late = {"name": "朱家尖望海民宿", "uscc": ""}
    [q] = make_orders(1, "2026-09-01 11:00", business=quiet, area="普陀山镇", text="普陀山香客旅社乱收费")
    [a] = make_orders(1, "2026-09-01 12:00", business=again, area="沈家门街道", text="阿海海鲜排档缺斤短两")
    [lt] = make_orders(1, "2026-09-01 13:00", business=late, area="朱家尖街道", text="望海民宿虚假宣传")
    for order in (q, a, lt):
        _case_about(order, "2026-09-05 09:00")
    # 阿海 is complained of again 10 days after the case: a repeat-offender warning
    make_orders(1, "2026-09-15 12:00", business=again, area="沈家门街道", text="又在阿海海鲜排档被缺斤少两")
    assert [w.key_label for w in run_detectors(at("2026-09-15 20:00"), only=["repeat_offender"])] == ["沈家门阿海海鲜排档"]
    # 望海民宿 again only after its 30-day follow-up ended (2026-10-05): still avoided within the follow-up
    make_orders(1, "2026-10-20 12:00", business=late, area="朱家尖街道", text="望海民宿又虚假宣传")
    run_detectors(at("2026-10-20 20:00"), only=["repeat_offender"])

    october = ms.Filters(dt.date(2026, 10, 1), dt.date(2026, 10, 31))  # the follow-ups end on 10-05
    assert ms.compute("repeat_avoided", october).value == 2  # 香客旅社 and 望海民宿, not 阿海
    september = ms.Filters(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert ms.compute("repeat_avoided", september).value == 0  # no follow-up ended in September
    by_field = ms.compute("repeat_avoided", ms.Filters(dt.date(2026, 10, 1), dt.date(2026, 10, 31), theme="tourism"))
    assert by_field.value is None and "全市指标" in by_field.display
