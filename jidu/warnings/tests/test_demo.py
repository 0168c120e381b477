"""The demo generator's ferry suspension: its refund burst raises a warning copied to 文旅 and 市场监管."""

import io

import pytest
from django.utils import timezone

from jidu.warnings.models import Warning

pytestmark = pytest.mark.django_db


def test_demo_ferry_refund_burst_raises_a_warning_copied_to_tourism_and_market_regulation():
    from jidu.demo import generator as gen
    from jidu.warnings import demo_data
    from jidu.warnings.replay import load_generated

    end = timezone.localdate()
    kwargs = dict(end=end, days=90, target_orders=6000)
    ids = load_generated(**kwargs)
    ferry = next(e for e in gen.demo_events(**kwargs) if e["kind"] == "ferry_suspension" and e["cause"] == "大风")
    burst = {ids[no] for no in ferry["order_nos"]}
    out = io.StringIO()
    demo_data.populate(out, replay_days=14)
    assert "预警" in out.getvalue()
    hits = [w for w in Warning.objects.filter(kind="spike")
            if len(burst & set(w.links.values_list("order_id", flat=True))) >= 5]
    assert hits, list(Warning.objects.values_list("title", flat=True))
    refund = [w for w in hits if w.dimension == "problem"]
    assert refund and refund[0].key_label == "退订退款纠纷"
    codes = set(refund[0].departments.values_list("code", flat=True))
    assert {"WGLT", "SCJG"} <= codes
    # idempotent
    count = Warning.objects.count()
    demo_data.populate(io.StringIO(), replay_days=14)
    assert Warning.objects.count() == count
