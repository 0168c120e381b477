"""Speed-ups in the text path that must not change what is found."""

import random

from jidu.screening.ml import extract, text

SUFFIXES = list(extract.BUSINESS_SUFFIXES) + ["分店", "有限公司（舟山分店）"]
FILLER = "我在沈家门的一家海鲜排档吃饭结账时发现短斤少两老板说是正常损耗的普陀山景区附近宾馆价格不明码标价"


def _texts():
    rng = random.Random(3)
    yield ""
    yield "店"
    yield "厂厂厂厂厂"
    yield "舟山市普陀区东港街道海天大酒店有限公司分店（朱家尖店）"
    yield "x" * 30 + "公司"  # name longer than 24 characters before the suffix
    yield "“渔港人家”（沈家门店）排档" + "，" * 5 + "ABC&KTV" + "ktv"
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 12)):
            start = rng.randrange(len(FILLER))
            parts.append(FILLER[start:start + rng.randint(0, 30)])
            if rng.random() < 0.6:
                parts.append(rng.choice(SUFFIXES))
            if rng.random() < 0.2:
                parts.append(rng.choice(["，", "。", " ", "（", "）", "(", ")", "1", "A"]))
        yield "".join(parts)


def test_business_matches_are_exactly_the_pattern_matches():
    for t in _texts():
        expected = [(m.start(), m.end(), m.group(0)) for m in extract._BUSINESS_RE.finditer(t)]
        assert [(m.start(), m.end(), m.group(0)) for m in extract.business_matches(t)] == expected, t


def test_remembered_normalisation_equals_a_fresh_one():
    samples = ["舊城區的餐廳ＡＢＣ１２３😀 收費  過高", "  ", "短斤少两" * 600, "海鲜\u200b排档\n\n乱收费", "Ｔｅｓｔ　ｔｅｘｔ"]
    for s in samples:
        for cap in (None, 5, 500, 3000):
            first = text.normalize(s, max_chars=cap)
            again = text.normalize(s, max_chars=cap)  # from the memo when short enough
            fresh = text._normalize_uncapped(text.cap(s, cap * 2) if cap else s)
            assert first == again == (text.cap(fresh, cap) if cap else fresh)


def test_too_short_of_parts_agrees_with_the_joined_text():
    cases = [("", ""), ("", "啊啊啊啊啊"), ("投诉", "短斤"), ("海鲜排档", "短斤少两"), ("ok", "ok ok ok ok"),
             ("噪音", "晚上施工噪音大"), ("Test", "the shop is bad")]
    for title, content in cases:
        assert text.too_short_parts(title, content) == text.too_short(f"{title} {content}"), (title, content)


def test_too_short_of_a_model_text_needs_no_second_normalisation():
    cases = [("", ""), ("", "啊啊啊啊啊"), ("舊城區", "餐廳ＡＢＣ收費過高"), ("a", "b c d"), ("", "😀😀😀"),
             ("标题", "标题后面的内容"), ("Test", "the shop is bad"), ("", "１２３４５６"), ("噪音", "晚上施工噪音大，" * 500)]
    for title, content in cases:
        mt = text.model_text(title, content)
        assert text.model_text_too_short(mt) == text.too_short(mt), (title, content)


def test_cue_words_by_group_are_those_of_the_full_hits():
    from jidu.screening.ml.lexicon import Lexicon

    lexicon = Lexicon()
    for t in ["海鲜排档短斤少两，老板强买强卖，举报", "", "咨询公积金提取", "民宿停航拒绝退款退款", *list(_texts())[:50]]:
        assert lexicon.group_words(t) == lexicon.hits(t).words


def test_too_short_stops_counting_early_with_the_same_answer_as_counting_everything():
    import random

    rng = random.Random(3)
    alphabet = ["啊", "投", "诉", "A", "b", "cd", " ", "，", "1", "😀", "-", "x"]
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        units = text._unit_list(text.normalize(s, max_chars=text.MODEL_MAX_CHARS))
        whole = len(units) < text.MIN_CONTENT_UNITS or len(set(units)) < text.MIN_DISTINCT_UNITS
        assert text.too_short(s) == whole, s


def test_skipping_patterns_without_their_hint_changes_no_result(monkeypatch):
    """Extraction skips the number patterns on texts without a digit and the money pattern on
    texts without a currency word: the same entities as running every pattern on every text."""
    import re

    rng = random.Random(8)
    bits = ["海鲜排档", "收了", "3", "8", "0", "１", "５", "元", "块钱", "圆", "¥", "￥", "人民币", "三百", "二十",
            "万", "多", "13812345678", "0580-2012345", "330902199001011237", "91330900MA2A1B2C3D", "电话", "，",
            "公司", "“渔港人家”", "٣", " ", "-"]
    samples = [*list(_texts())[:60]]
    for _ in range(1500):
        samples.append("".join(rng.choice(bits) for _ in range(rng.randint(0, 10))))
    ex = extract.Extractor(use_cpca=False)
    fast = [ex.extract(t) for t in samples]
    always = re.compile("")  # matches every text: every pattern runs
    monkeypatch.setattr(extract, "_ANY_DIGIT_RE", always)
    monkeypatch.setattr(extract, "_MONEY_HINT_RE", always)
    full = [ex.extract(t) for t in samples]
    assert [e.spans for e in fast] == [e.spans for e in full]
    assert [e.invalid_codes for e in fast] == [e.invalid_codes for e in full]
    assert sum(1 for e in full if e.spans) > 500  # the samples do name things
