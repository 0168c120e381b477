"""Rules: match types on Chinese text (substrings, never \\b), segmented words, effects, priority."""

import pytest
from django.core.exceptions import ValidationError

from jidu.screening.models import Rule
from jidu.screening.rules import CompiledRule, Doc, active_rules, approx_find, match_all, try_rule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rules")]

TEXT = "在沈家门海鲜排档买的梭子蟹明显缺斤短两，老板用鬼秤，要求查处。"


def matches(text=TEXT, **kw):
    defaults = {"name": "r", "label": "problem", "value": "短斤少两", "match": "any", "pattern": "鬼秤",
                "effect": "suggest", "segmented": False}
    defaults.update(kw)
    rule = Rule(**defaults)
    return CompiledRule.from_rule(rule).match_doc(Doc("", text))


def test_any_finds_a_chinese_keyword_inside_a_run_of_characters_without_word_boundaries():
    # "鬼秤" sits between 用 and ，— a \b-based matcher (paperless-ngx) would never find it.
    assert matches(pattern="黑心秤 鬼秤") == "鬼秤"
    assert matches(pattern="黑心秤 作弊秤") is None


def test_all_needs_every_term():
    assert matches(match="all", pattern="梭子蟹，鬼秤") == "梭子蟹、鬼秤"
    assert matches(match="all", pattern="梭子蟹 停航") is None


def test_exact_needs_the_whole_phrase():
    assert matches(match="exact", pattern="海鲜排档买的梭子蟹") == "海鲜排档买的梭子蟹"
    assert matches(match="exact", pattern="海鲜排档的梭子蟹") is None


def test_regex_on_normalised_text_traditional_and_full_width():
    # Traditional characters and full-width digits are folded before matching.
    text = "民宿因颱風停航拒絕退款，定金５００元"
    assert matches(text, match="regex", pattern=r"(停航|停运).*(退款|退订)") == "停航拒绝退款"
    assert matches(text, match="regex", pattern=r"定金\d+元") == "定金500元"


def test_fuzzy_uses_edit_distance_on_substrings():
    # 缺斤少两 is one substitution away from 缺斤短两 in the text.
    assert matches(match="fuzzy", pattern="缺斤少两") == "缺斤短两"
    assert matches(match="fuzzy", pattern="鬼称") is None  # short terms must match exactly
    assert approx_find("缺斤少两", "老板缺斤缺两", 1) == "缺斤缺两"
    assert approx_find("缺斤少两", "完全无关的内容", 1) is None


def test_segmented_mode_matches_whole_words_only():
    # As a substring "门海" occurs; as a jieba word it does not.
    assert matches(pattern="门海") == "门海"
    assert matches(pattern="门海", segmented=True) is None
    assert matches(pattern="梭子蟹", segmented=True) == "梭子蟹"
    assert matches(match="fuzzy", pattern="梭子蟹", segmented=True) == "梭子蟹"


def test_english_is_matched_case_insensitively():
    assert matches("The hotel refused a REFUND after the ferry stopped", pattern="refund") == "refund"


def test_bad_regex_is_refused_on_save_with_a_clear_chinese_message():
    with pytest.raises(ValidationError) as exc:
        Rule.objects.create(name="坏", label="problem", value="短斤少两", match="regex", pattern="(鬼秤")
    assert "正则表达式有误" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        Rule.objects.create(name="边界", label="problem", value="短斤少两", match="regex", pattern=r"\b鬼秤\b")
    assert "\\b" in str(exc.value) and "词边界" in str(exc.value)
    assert not Rule.objects.filter(name__in=["坏", "边界"]).exists()


def test_unknown_values_are_refused():
    with pytest.raises(ValidationError, match="没有名为"):
        Rule.objects.create(name="x", label="field", value="不存在的领域", match="any", pattern="a")
    with pytest.raises(ValidationError, match="yes"):
        Rule.objects.create(name="x", label="enforcement", value="maybe", match="any", pattern="a")
    rule = Rule.objects.create(name="x", label="tourism", value="是", match="any", pattern="民宿")
    assert rule.value == "yes"


def test_inactive_rules_are_ignored(make_rule):
    make_rule(name="on", pattern="鬼秤")
    make_rule(name="off", pattern="鬼秤", active=False)
    hits = match_all(active_rules(), Doc("", TEXT))
    assert [h.rule.name for h in hits] == ["on"]


def test_rules_are_ordered_by_priority_then_veto_first(make_rule):
    make_rule(name="late", pattern="鬼秤", priority=200)
    make_rule(name="early-suggest", pattern="鬼秤", priority=10)
    make_rule(name="early-veto", pattern="鬼秤", priority=10, effect="veto")
    assert [r.name for r in active_rules()] == ["early-veto", "early-suggest", "late"]


def test_try_rule_counts_matches_among_the_last_orders_with_examples(ingest, record):
    ingest(*[record(f"T-{i}", content=f"第{i}号海鲜摊用鬼秤缺斤少两" if i % 3 == 0 else f"第{i}号路灯不亮")
             for i in range(12)])
    rule = Rule(name="试", label="problem", value="短斤少两", match="any", pattern="鬼秤")  # not saved
    result = try_rule(rule, limit=1000)
    assert (result.total, result.matched) == (12, 4)
    assert result.examples and "鬼秤" in result.examples[0]["snippet"]
    assert try_rule(rule, limit=5).total == 5
    assert not Rule.objects.exists()


def test_try_rule_refuses_an_invalid_rule():
    with pytest.raises(ValidationError):
        try_rule(Rule(name="x", label="problem", value="短斤少两", match="regex", pattern="[鬼秤"))
