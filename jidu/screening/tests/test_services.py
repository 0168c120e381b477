"""Screening decisions with a real (tiny) model: thresholds, rules, corrections, odd inputs, timeline."""


import pytest
from stdnum.cn import uscc

from jidu.orders.models import OrderEvent, WorkOrder
from jidu.screening import services
from jidu.screening.models import Correction, LabelThreshold, OrderScreening
from jidu.screening.tests.conftest import SHORT_WEIGHT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rules")]


def screen(order, screener):
    services.screen_orders([order.pk], screener=screener)
    return OrderScreening.objects.select_related("field").get(order=order)


def confidence(screener, order):
    pred = screener.screen_many([(order.title, order.content)])[0]
    p = pred.enforcement_score
    return pred, max(p, 1 - p)


def test_thresholds_decide_applied_suggested_or_pending(order, screener):
    pred, conf = confidence(screener, order)
    assert pred.enforcement is True  # the tiny model learnt short-weight complaints are enforcement
    LabelThreshold.objects.create(label="field", suggest_at=0.0, apply_at=0.01)  # overall state = enforcement's
    LabelThreshold.objects.create(label="enforcement", suggest_at=conf - 0.2, apply_at=conf - 0.01)
    s = screen(order, screener)
    assert (s.enforcement, s.labels["enforcement"]["state"], s.provenance["enforcement"]) == (True, "applied", "model")
    assert s.state == "applied"

    LabelThreshold.objects.filter(label="enforcement").update(suggest_at=conf - 0.2, apply_at=conf + 0.01)
    s = screen(order, screener)
    assert (s.enforcement, s.labels["enforcement"]["state"]) == (True, "suggested")
    assert s.state == "suggested"

    LabelThreshold.objects.filter(label="enforcement").update(suggest_at=conf + 0.01, apply_at=conf + 0.02)
    s = screen(order, screener)
    assert s.enforcement is None and s.state == "pending"
    assert s.labels["enforcement"]["guess"] == "yes"
    assert s.summary.startswith("筛查：待人工研判")


def test_a_value_specific_threshold_beats_the_label_default(order, screener):
    pred, conf = confidence(screener, order)
    LabelThreshold.objects.create(label="enforcement", suggest_at=0.99, apply_at=0.999)
    LabelThreshold.objects.create(label="enforcement", value="yes", suggest_at=0.0, apply_at=0.01)
    assert screen(order, screener).labels["enforcement"]["state"] == "applied"


def test_force_rule_beats_the_model_and_records_the_rule(order, screener, make_rule):
    make_rule(name="停航不涉执法", label="enforcement", value="no", match="any", pattern="梭子蟹", effect="force")
    s = screen(order, screener)
    assert s.enforcement is False and s.provenance["enforcement"] == "rule"
    assert s.labels["enforcement"]["rule"] == "停航不涉执法" and s.labels["enforcement"]["evidence"] == "梭子蟹"
    assert s.rules_applied[0]["name"] == "停航不涉执法"
    assert "不涉执法（规则“停航不涉执法”）" in s.summary


def test_veto_beats_suggest_and_vetoes_the_models_problem(order, screener, make_rule):
    make_rule(name="建议", label="problem", value="短斤少两", pattern="梭子蟹", effect="suggest", priority=10)
    make_rule(name="否决", label="problem", value="短斤少两", pattern="梭子蟹", effect="veto", priority=90)
    make_rule(name="退款建议", label="problem", value="退订退款纠纷", pattern="梭子蟹", effect="suggest")
    s = screen(order, screener)
    names = dict(s.problems.values_list("problem__name", "provenance"))
    assert "短斤少两" not in names
    assert names["退订退款纠纷"] == "rule"


def test_higher_priority_force_wins(order, screener, make_rule):
    make_rule(name="后", label="field", value="文旅", pattern="梭子蟹", effect="force", priority=20)
    make_rule(name="先", label="field", value="交通运输", pattern="梭子蟹", effect="force", priority=10)
    s = screen(order, screener)
    assert s.field.name == "交通运输" and s.labels["field"]["rule"] == "先"


def test_binary_veto_applies_the_other_value(order, screener, make_rule):
    make_rule(name="非涉旅", label="tourism", value="yes", pattern="梭子蟹", effect="veto")
    s = screen(order, screener)
    assert s.tourism is False and s.provenance["tourism"] == "rule"


def test_suggest_rule_fills_a_label_the_model_left_pending(order, screener, make_rule):
    LabelThreshold.objects.create(label="field", suggest_at=0.999, apply_at=0.9999)
    make_rule(name="市场", label="field", value="市场监管", pattern="鬼秤 缺斤", effect="suggest")
    s = screen(order, screener)
    assert s.field.name == "市场监管"
    assert s.labels["field"] == {**s.labels["field"], "state": "suggested", "by": "rule", "rule": "市场"}


def test_person_correction_wins_over_rescreen_and_over_rules(order, screener, make_rule, make_user):
    supervisor = make_user("sup", "supervisor")
    make_rule(name="强制涉执法", label="enforcement", value="yes", pattern="梭子蟹", effect="force")
    make_rule(name="强制问题", label="problem", value="短斤少两", pattern="梭子蟹", effect="force")
    assert screen(order, screener).enforcement is True
    services.correct(order, "enforcement", False, user=supervisor, note="咨询，不是投诉")
    services.correct(order, "problem", ["价格违法"], user=supervisor)
    services.correct(order, "field", "文旅", user=supervisor)
    for _ in range(2):  # re-screening (and again) never overwrites the person
        s = screen(order, screener)
        assert s.enforcement is False and s.provenance["enforcement"] == "person"
        assert s.labels["enforcement"]["state"] == "confirmed" and s.state == "confirmed"
        assert list(s.problems.values_list("problem__name", "provenance", "state")) == [
            ("价格违法", "person", "confirmed")]
        assert s.field.name == "文旅"
        assert s.kind == ""  # not enforcement: no kind
    c = Correction.objects.filter(order=order, label="enforcement").get()
    assert (c.value, c.previous, c.by, c.note) == (False, True, supervisor, "咨询，不是投诉")


def test_the_latest_correction_wins(order, screener, make_user):
    user = make_user("sup", "supervisor")
    services.correct(order, "tourism", True, user=user)
    services.correct(order, "tourism", False, user=user)
    assert screen(order, screener).tourism is False


def test_invalid_corrections_are_refused(order, make_user):
    from django.core.exceptions import ValidationError

    user = make_user("sup", "supervisor")
    with pytest.raises(ValidationError):
        services.correct(order, "field", "火星", user=user)
    with pytest.raises(ValidationError):
        services.correct(order, "problem", ["不存在"], user=user)
    assert not Correction.objects.exists()


def test_too_little_text_is_flagged_not_guessed(ingest, record, screener):
    ingest(record("S-SHORT", title="", content="啊啊啊"))
    order = WorkOrder.objects.get(order_no="S-SHORT")
    s = screen(order, screener)
    assert s.too_short and s.state == "too_short"
    assert s.enforcement is None and s.field_id is None and s.enforcement_score is None
    assert not s.problems.exists()
    assert "内容过少" in s.summary


ODD = {
    "empty": ("", ""),
    "long": ("很长的投诉", "景区门口黄牛拉客，强迫游客消费。" * 3000),  # 51,000 characters
    "traditional": ("海鮮排檔缺斤少兩", "在沈家門海鮮排檔買的梭子蟹明顯缺斤短兩，老闆用鬼秤，要求查處。"),
    "emoji": ("😡😡😡", "民宿老板不退订金😭😭🙏🏻 台风停航了还不退！！！💢"),
    "english": ("Refund refused", "The homestay on Zhujiajian refused to refund our deposit after the ferry stopped."),
    "fullwidth": ("ＡＢＣ", "价格１２３元，电话１３８１２３４５６７８"),
    # (NUL is left out: PostgreSQL text cannot hold it, so intake must strip it — see the NUL test)
    "control": ("\x01\x02", "\u200b\u202e隐藏字符\ufeff测试内容很多很多"),
}


def test_odd_inputs_are_all_screened_without_error(ingest, record, screener):
    ingest(*[record(f"ODD-{k}", title=t, content=c or "占位") for k, (t, c) in ODD.items()])
    WorkOrder.objects.filter(order_no="ODD-empty").update(content="", title="")
    ids = list(WorkOrder.objects.filter(order_no__startswith="ODD-").values_list("pk", flat=True))
    stats = services.screen_orders(ids, screener=screener)
    assert stats["screened"] == len(ODD) and stats["failed"] == 0
    by_no = {s.order.order_no: s for s in OrderScreening.objects.select_related("order")}
    assert by_no["ODD-empty"].state == "too_short"
    assert by_no["ODD-traditional"].state != "too_short" and by_no["ODD-traditional"].enforcement is not None
    assert by_no["ODD-english"].state != "too_short"
    assert by_no["ODD-fullwidth"].entities["phones"] == 1 and by_no["ODD-fullwidth"].entities["amounts"] == [123.0]


def test_nul_and_control_characters_do_not_break_the_pipeline(screener):
    from jidu.screening import engine, entities
    from jidu.screening.rules import Doc

    pairs = [("\x00标题", "内容\x00里有NUL字符和\x07响铃，海鲜排档缺斤少两")]
    assert engine.predict_many(screener, pairs)[0] is not None
    assert entities.extract_many(pairs)[0]["businesses"]
    assert "\x00" not in Doc(*pairs[0]).text


def test_entities_resolve_places_to_areas_and_never_store_numbers(ingest, record, screener):
    code = "91330903MA2" + "8ABCDE"
    code = code + uscc.calc_check_digit(code)
    content = (f"沈家门海鲜排档（统一社会信用代码{code}）收了我350元，还有朱家尖的舟山阿强渔家乐有限公司，"
               "我的电话13812345678，身份证330902199001011237")
    ingest(record("S-ENT", content=content))
    s = screen(WorkOrder.objects.get(order_no="S-ENT"), screener)
    e = s.entities
    names = [b["name"] for b in e["businesses"]]
    assert "沈家门海鲜排档" in names and "舟山阿强渔家乐有限公司" in names
    assert any(b.get("uscc") == code for b in e["businesses"])
    assert e["amounts"] == [350.0]
    assert {p["name"] for p in e["places"]} >= {"沈家门街道", "朱家尖街道"}
    assert all(p["area_id"] for p in e["places"])
    assert (e["phones"], e["id_numbers"]) == (1, 1)
    stored = str(e) + s.explanation + str(s.labels) + s.summary
    assert "13812345678" not in stored and "330902199001011237" not in stored


def test_a_change_of_result_is_written_to_the_timeline_once(order, screener, make_rule):
    screen(order, screener)
    notes = list(order.events.filter(kind=OrderEvent.Kind.NOTE).values_list("note", flat=True))
    assert len(notes) == 1 and notes[0].startswith("筛查：")
    screen(order, screener)  # same result: no new note
    assert order.events.filter(kind=OrderEvent.Kind.NOTE).count() == 1
    make_rule(name="强制领域", label="field", value="市场监管", pattern="梭子蟹", effect="force")
    screen(order, screener)
    last = order.events.filter(kind=OrderEvent.Kind.NOTE).order_by("-id").first()
    assert "领域 市场监管" in last.note and last.actor_label == "线索筛查"


def test_the_timeline_note_reads_like_the_spec(order, screener):
    LabelThreshold.objects.create(label="enforcement", suggest_at=0.0, apply_at=0.01)
    LabelThreshold.objects.create(label="field", suggest_at=0.0, apply_at=0.01)
    s = screen(order, screener)
    note = order.events.filter(kind=OrderEvent.Kind.NOTE).get().note
    assert note == s.summary
    assert note.startswith(f"筛查：涉执法（模型{s.enforcement_score:.2f}），领域 {s.field.name}")


def test_model_version_is_recorded(order, screener):
    s = screen(order, screener)
    assert s.model_version.version == "test-tiny-1"


class BrokenScreener:
    version = "broken-1"

    def screen_many(self, pairs):
        raise RuntimeError("model crashed")


def test_a_failing_model_loses_nothing_and_marks_for_rescreen(order, make_rule, screener):
    make_rule(name="鬼秤", pattern="鬼秤 缺斤短两")
    stats = services.screen_orders([order.pk], screener=BrokenScreener())
    assert stats["failed"] == 1
    s = OrderScreening.objects.get(order=order)
    assert s.needs_rescreen and s.state == "pending"
    assert list(s.problems.values_list("problem__name", flat=True)) == ["短斤少两"]  # rules still ran
    s = screen(order, screener)  # a later rescreen with a working model clears the flag
    assert not s.needs_rescreen


def test_screen_safely_marks_orders_when_screening_itself_fails(order, monkeypatch):
    from jidu.screening import entities

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(entities, "extract_many", boom)
    assert services.screen_safely([order.pk]) is None
    assert OrderScreening.objects.get(order=order).needs_rescreen
    assert WorkOrder.objects.filter(pk=order.pk).exists()


def test_bulk_screening_uses_a_bounded_number_of_queries(ingest, record, screener, django_assert_max_num_queries):
    ingest(*[record(f"B-{i}", content=f"第{i}家海鲜排档用鬼秤缺斤少两，要求查处") for i in range(60)])
    ids = list(WorkOrder.objects.values_list("pk", flat=True))
    ctx = services.Context(screener)
    with django_assert_max_num_queries(20):
        services.screen_orders(ids, context=ctx)
    assert OrderScreening.objects.count() == 60


def test_an_order_screened_by_another_worker_meanwhile_is_updated_not_duplicated(order, screener):
    screen(order, screener)
    first = OrderScreening.objects.get(order=order)
    # This worker believed the order unscreened (it read no old screening) and writes a new row.
    again = OrderScreening(order_id=order.pk, summary="筛查：另一进程的结果", explanation="x")
    services._write_screenings([again], old={})
    rows = OrderScreening.objects.filter(order=order)
    assert rows.count() == 1
    assert rows.get().pk == first.pk and rows.get().summary == "筛查：另一进程的结果"
