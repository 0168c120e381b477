"""Tests of the screening model package (pure Python, no Django).

Run: .venv/bin/python -m pytest jidu/screening/tests/test_ml.py -p no:django
Tests that need ../shared/data or the trained artifact skip with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jidu.screening.ml import text as T
from jidu.screening.ml.extract import Extractor, extract, mask, parse_chinese_number, parse_money

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
ARTIFACT = Path(__file__).resolve().parents[1] / "ml" / "artifacts" / "screener.pkl.gz"


@pytest.fixture(autouse=True)
def _isolated_settings():
    """Override the repo-wide autouse fixture of the root conftest, which needs Django's
    ``settings`` fixture: these tests are pure Python and run with ``-p no:django``."""
    yield


@pytest.fixture(scope="module")
def screener():
    if not ARTIFACT.exists():
        pytest.skip(f"trained model not found at {ARTIFACT} (run scripts/train_default_model.py)")
    from jidu.screening.ml.classifier import Screener

    return Screener.load(ARTIFACT)


def _valid_uscc() -> str:
    from stdnum.cn import uscc

    body = "91330903MA2A1B2C3"
    return body + uscc.calc_check_digit(body)


# ---------------------------------------------------------------------------- text
def test_normalize_traditional_fullwidth_emoji_controls():
    out = T.normalize("這家飯店亂收費！！ＡＢＣ１２３\u3000😡😡\x00\u200d  多次   投訴")
    assert "这家饭店乱收费" in out
    assert "ABC123" in out
    assert "😡" not in out and "\x00" not in out and "\u200d" not in out
    assert "  " not in out
    assert "投诉" in out


def test_fold_chars_is_length_preserving():
    s = "臺灣ＡＢＣ１２３這是測試😀"
    f = T.fold_chars(s)
    assert len(f) == len(s)
    assert f.startswith("台湾ABC123这是测试")


def test_normalize_never_fails_on_odd_input():
    assert T.normalize(None) == ""
    assert T.normalize("") == ""
    assert T.normalize(12345) == "12345"
    assert T.normalize("\ud800broken surrogate") == "broken surrogate"


def test_long_input_is_capped():
    long = "海鲜排档短斤少两" * 6250  # 50,000 chars
    assert len(long) == 50_000
    out = T.model_text("标题", long)
    assert len(out) <= T.MODEL_MAX_CHARS


@pytest.mark.parametrize("text", ["", "   ", "好", "啊啊啊啊啊啊啊", "？？？！！！", "12345", "ok", "😀😀😀"])
def test_too_short_flags_empty_and_contentless(text):
    assert T.too_short(text)


@pytest.mark.parametrize("text", ["海鲜排档缺斤少两", "The hotel refused to refund my deposit", "民宿拒绝退款"])
def test_too_short_accepts_real_content(text):
    assert not T.too_short(text)


# ---------------------------------------------------------------------------- extraction
def test_uscc_valid_and_invalid():
    code = _valid_uscc()
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    ent = extract(f"该公司统一社会信用代码{code}，另一家写的是{bad}。")
    assert [s.value for s in ent.credit_codes] == [code]
    assert [s.value for s in ent.invalid_codes] == [bad]


def test_uscc_fullwidth_is_found_with_original_offsets():
    code = _valid_uscc()
    full = "".join(chr(ord(c) + 0xFEE0) for c in code)
    text = f"代码：{full}"
    ent = extract(text)
    assert len(ent.credit_codes) == 1
    sp = ent.credit_codes[0]
    assert text[sp.start:sp.end] == full == sp.text
    assert sp.value == code


@pytest.mark.parametrize("s,value", [("三千五百", 3500), ("两万", 20000), ("十五", 15), ("一百零八", 108),
                                     ("壹拾", 10), ("一万二千", 12000), ("二十万", 200000), ("三亿五千万", 350000000)])
def test_parse_chinese_number(s, value):
    assert parse_chinese_number(s) == value


@pytest.mark.parametrize("s,value", [("3万元", 30000), ("1,200元", 1200), ("两千五百块", 2500), ("¥88", 88),
                                     ("2000多元", 2000), ("五百元", 500), ("2.5万元", 25000), ("八十块钱", 80)])
def test_parse_money(s, value):
    assert parse_money(s) == pytest.approx(value)


def test_money_spans_in_text():
    text = "梭子蟹一斤收了三百八十元，总共付了1,520元，押金两千块不退。"
    ent = extract(text, use_cpca=False)
    assert sorted(s.value for s in ent.money) == [380, 1520, 2000]
    for s in ent.money:
        assert text[s.start:s.end] == s.text


def test_phone_and_id_detection_and_masking():
    text = "我的电话13812345678，座机0580-2021234，身份证11010519491231002X，错号110105194912310021。"
    ent = extract(text, use_cpca=False)
    assert [s.value for s in ent.phones] == ["13812345678", "05802021234"]
    ids = ent.id_numbers
    assert [(s.value, s.valid) for s in ids] == [("11010519491231002X", True), ("110105194912310021", False)]
    masked = mask(text, ent)
    assert "13812345678" not in masked and "138****5678" in masked
    assert "11010519491231002X" not in masked and "110105********002X" in masked
    assert "110105194912310021" not in masked
    assert len(masked) == len(text)


def test_phone_validation_rejects_non_numbers():
    ent = extract("订单号12345678901，金额12元", use_cpca=False)
    assert ent.phones == []


def test_businesses_conservative():
    text = ("我在沈家门的老王海鲜排档吃饭，又去了浙江舟山普陀山旅行社有限公司报团，住在朱家尖某民宿，"
            "这家酒店很差，上海华联超市（沈家门店）的鱼不新鲜。")
    names = [s.text for s in extract(text, use_cpca=False).businesses]
    assert "老王海鲜排档" in names
    assert "浙江舟山普陀山旅行社有限公司" in names
    assert "上海华联超市（沈家门店）" in names
    assert not any("某" in n for n in names)
    assert "这家酒店" not in names and "酒店" not in names


def test_places_cpca_and_local_list():
    ex = Extractor(places={"朱家尖": "330903-zjj", "沈家门": "330903-sjm", "普陀山": "330903-pts"})
    text = "浙江省舟山市普陀区朱家尖的一家民宿，沈家门渔港附近。"
    ent = ex.extract(text)
    assert ent.city == "舟山市" and ent.district == "普陀区"
    local = {s.text: s.value for s in ent.places if isinstance(s.value, str)}
    assert local == {"朱家尖": "330903-zjj", "沈家门": "330903-sjm"}
    for s in ent.spans:
        assert text[s.start:s.end] == s.text


def test_extract_odd_inputs():
    assert extract("").spans == []
    assert extract(None).spans == []
    ent = extract("這家飯店收費１２００元😀" * 4000)  # 48,000+ chars, traditional + full-width
    assert len(ent.money) >= 1
    assert all(s.value == 1200 for s in ent.money)


# ---------------------------------------------------------------------------- classifier
BAD_INPUTS = [
    ("這家海鮮排檔短斤少兩", "我們在沈家門買的梭子蟹，秤有問題，少了半斤，要求查處！"),  # traditional
    ("投诉ＡＢＣ酒店", "房费１２００元，退房时多收３００元"),  # full-width
    ("😡😡😡", "民宿老板态度恶劣😡😡，拒绝退款🙏"),  # emoji
    ("Hotel refused refund", "The homestay in 朱家尖 refused to refund 800 yuan after the ferry stopped."),  # English
    ("", ""),  # empty
    (None, None),
    ("好", ""),
    ("长文本", "海鲜排档短斤少两，要求查处。" * 3600),  # ~50,000 chars
    ("\x00\x01控制字符", "\u200b\u200d\ufeff零宽字符和控制字符混在投诉里，饭店乱收费"),
]


def test_screen_bad_inputs_without_error(screener):
    results = screener.screen_many(BAD_INPUTS)
    assert len(results) == len(BAD_INPUTS)
    for r in results:
        d = r.to_dict()
        assert isinstance(d["explanation"], str) and d["explanation"]
        assert 0.0 <= r.enforcement_score <= 1.0 and 0.0 <= r.tourism_score <= 1.0
        assert r.model_version == screener.version
    assert results[4].too_short and results[5].too_short and results[6].too_short
    assert not results[4].enforcement and results[4].problems == []
    assert "无法判断" in results[4].explanation
    assert not results[0].too_short and not results[7].too_short


def test_short_weight_seafood_complaint(screener):
    r = screener.screen("沈家门海鲜排档短斤少两",
                        "今天在沈家门一家海鲜排档买梭子蟹，老板用的秤有问题，三斤的螃蟹回家一称只有两斤半，"
                        "明显短斤少两，要求市场监管部门查处。")
    assert r.enforcement is True
    assert r.enforcement_score >= 0.8
    assert r.kind == "violation"
    assert "短斤少两" in [p for p, _ in r.problems]
    assert r.field == "市场监管"
    assert "依据" in r.explanation and "置信度" in r.explanation
    assert any("短斤少两" in e or "秤" in e for e in r.evidence)


def test_traditional_matches_simplified(screener):
    a = screener.screen("海鲜排档短斤少两", "我们在沈家门买的梭子蟹，秤有问题，少了半斤，要求查处")
    b = screener.screen("海鮮排檔短斤少兩", "我們在沈家門買的梭子蟹，秤有問題，少了半斤，要求查處")
    assert a.enforcement == b.enforcement
    assert abs(a.enforcement_score - b.enforcement_score) < 0.02


def test_consultation_is_not_enforcement(screener):
    r = screener.screen("咨询公积金提取", "请问异地购房怎么提取住房公积金？需要准备哪些材料？谢谢。")
    assert r.enforcement is False
    assert r.problems == []
    assert r.kind is None


def test_homestay_refund_is_tourism(screener):
    r = screener.screen("民宿拒绝退款", "因大风停航无法上岛，朱家尖一家民宿拒绝退还800元房费，要求处理。")
    assert r.tourism is True
    assert r.enforcement is True
    assert "退订退款纠纷" in [p for p, _ in r.problems]


def test_conduct_complaint(screener):
    r = screener.screen("城管乱罚款", "城管执法人员在菜场门口乱罚款，还推搡老人，多次投诉没人管，请求上级部门调查。")
    assert r.enforcement is True
    assert r.kind == "conduct"
    assert "执法不作为/乱作为" in [p for p, _ in r.problems]


def test_screen_many_matches_screen(screener):
    items = [("海鲜排档短斤少两", "缺斤少两要求查处"), ("咨询", "请问社保怎么转移到舟山？"), ("", "")]
    many = screener.screen_many(items)
    single = [screener.screen(*it) for it in items]
    assert [m.to_dict() for m in many] == [s.to_dict() for s in single]


def test_result_shapes(screener):
    r = screener.screen("酒店乱收费", "普陀山景区附近的酒店房价没有明码标价，结账多收了500元")
    assert len(r.field_top3) == 3
    assert r.field == r.field_top3[0][0]
    assert all(0 <= s <= 1 for _, s in r.field_top3)
    assert r.field_top3 == sorted(r.field_top3, key=lambda t: -t[1])
    assert "taidi_field" in r.extra


def test_enforcement_decision_uses_the_artifact_threshold(screener):
    import dataclasses

    import numpy as np

    from jidu.screening import engine
    from jidu.screening.ml.classifier import Screener
    from jidu.screening.ml.training import ENFORCEMENT_THRESHOLD, choose_threshold

    assert screener.enforcement_threshold == pytest.approx(ENFORCEMENT_THRESHOLD)
    items = [("海鲜排档短斤少两", "缺斤少两要求查处"), ("咨询", "请问社保怎么转移到舟山？"),
             ("噪音", "楼下饭店每天晚上很吵"), ("停车", "小区门口停车位不够，希望增加")]
    for r in screener.screen_many(items):
        assert r.enforcement_threshold == pytest.approx(ENFORCEMENT_THRESHOLD)
        assert r.enforcement == (r.enforcement_score >= ENFORCEMENT_THRESHOLD)
        # the service layer reads enforcement_score as P(yes) whatever side the cut put it on
        assert engine.adapt(r).enforcement_score == pytest.approx(r.enforcement_score)
    # a yes between the cut and 0.5 stays P(yes) (not flipped to 1 - p)
    r = dataclasses.replace(screener.screen(*items[0]), enforcement=True, enforcement_score=0.46,
                            enforcement_threshold=0.43)
    assert engine.adapt(r).enforcement_score == pytest.approx(0.46)
    # an artifact without its own threshold falls back to 0.5
    old = Screener(screener.featurizer, {"enforcement": dataclasses.replace(screener.heads["enforcement"], info={})},
                   "old")
    assert old.enforcement_threshold == 0.5
    # threshold choice: middle of the F1 plateau
    y = np.array([0, 0, 0, 1, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8])
    assert 0.3 < choose_threshold(y, p) <= 0.6


needs_data = pytest.mark.skipif(not (DATA / "enforcement-labels" / "dev_300.csv").exists(),
                                reason=f"shared data not found at {DATA}")


@needs_data
def test_data_loaders_and_split_have_no_twin_leak():
    from jidu.screening.ml import data as D

    taidi = D.load_taidi(DATA)
    assert len(taidi.raw_text) > 1000 and len(taidi.tok_text) > 5000
    tr_x, tr_y, _, te_x, te_y = taidi.split(D.TAIDI_FOLDS[0])
    assert len(te_x) > 200 and len(tr_x) == len(tr_y)
    test_set = set(te_x)
    assert not test_set & set(tr_x)
    dev = D.load_dev300(DATA)
    assert len(dev.texts) == 300 and set(dev.enforcement) == {0, 1}


@needs_data
def test_weak_rules_agree_with_hand_labels_more_often_than_not():
    import numpy as np

    from jidu.screening.ml import data as D
    from jidu.screening.ml.training import weak_enforcement

    dev = D.load_dev300(DATA)
    weak = weak_enforcement(dev.texts)
    decided = weak >= 0
    assert decided.sum() > 100
    assert (weak[decided] == dev.enforcement[decided]).mean() > 0.7
    assert np.isin(weak, [-1, 0, 1]).all()


@needs_data
def test_shipped_model_on_dev300_is_sane(screener):
    from jidu.screening.ml import data as D

    dev = D.load_dev300(DATA)
    res = screener.screen_many(list(zip(dev.titles, dev.contents)))
    pred = [int(r.enforcement) for r in res]
    # trained on these rows: this checks the pipeline end to end, not generalisation
    acc = sum(int(p == y) for p, y in zip(pred, dev.enforcement)) / len(pred)
    assert acc > 0.85


def test_fast_tfidf_equals_sklearn(screener):
    import numpy as np

    from jidu.screening.ml.classifier import _char_ngrams, _fast_tfidf

    f = screener.featurizer
    texts = ["海鲜排档短斤少两要求查处", "", "A", "ABC abc  Hello 世界", "请问公积金怎么提取", "ab", "😀x𠀀海"]
    a = f.char_vec.transform(texts)
    b = _fast_tfidf(f.char_vec, [_char_ngrams(t.lower(), f.char_ngram) for t in texts])
    assert a.nnz == b.nnz and np.abs((a - b).toarray()).max() < 1e-5
    # the packed-int64 n-gram index used by Featurizer.transform gives the same block
    c = f.transform(texts)[:, : f.n_char]
    assert a.nnz == c.nnz and np.abs((a - c).toarray()).max() < 1e-5
    a = f.word_vec.transform(texts)
    b = _fast_tfidf(f.word_vec, [f.word_vec.analyzer(t) for t in texts])
    assert a.nnz == b.nnz and np.abs((a - b).toarray()).max() < 1e-5


def test_packed_key_table_finds_every_key_and_nothing_else():
    import numpy as np

    from jidu.screening.ml.classifier import PackedKeyTable

    rng = np.random.default_rng(11)
    # dense small keys (single characters collide in the low bits) and sparse large ones
    keys = np.unique(np.concatenate([np.arange(0, 3000), rng.integers(0, 2**63 - 1, 20000)]))
    values = rng.permutation(len(keys))
    table = PackedKeyTable(keys, values)
    assert (table.get(keys) == values).all()
    absent = np.setdiff1d(rng.integers(0, 2**63 - 1, 20000), keys)
    assert (table.get(absent) == -1).all()
    assert (table.get(np.array([3000, 3001], np.int64)) == -1).all()
    assert len(table.get(np.zeros(0, np.int64))) == 0
    assert (PackedKeyTable(np.zeros(0, np.int64), np.zeros(0, np.int64)).get(keys[:5]) == -1).all()


# ---------------------------------------------------------------------------- extra hand labels
def _label_line(source, i, **kw):
    import json

    row = {"留言编号": i, "source": source, "enforcement": "yes", "kind": "violation", "tourism": "no",
           "field": "综合执法", "problems": ["噪声扰民"], "sure": "high", "why": "夜间施工噪音"}
    row.update(kw)
    return json.dumps(row, ensure_ascii=False)


def test_extra_label_files_are_validated_deduplicated_and_sorted(tmp_path):
    from jidu.screening.ml import data as D

    a = tmp_path / "a.jsonl"
    a.write_text("\n".join([
        _label_line("unlabeled_test_stage.csv", 9),
        _label_line("unlabeled_test_stage.csv", 3, enforcement="no", kind=None, problems=[], field="交通运输"),
        _label_line("unlabeled_test_stage.csv", 9, enforcement="no"),  # repeated id: first label kept
        _label_line("unlabeled_test_stage.csv", 4, field="不存在"),  # not a guide field
        "not json",
        "",
    ]), encoding="utf-8")
    b = tmp_path / "b.jsonl"
    b.write_text(_label_line("unlabeled_attachment3_with_votes.csv", 1) + "\n", encoding="utf-8")
    msgs = []
    rows = D.read_label_files([a, b], log=msgs.append)
    assert [(r["source"], r["留言编号"]) for r in rows] == [
        ("unlabeled_attachment3_with_votes.csv", 1), ("unlabeled_test_stage.csv", 3), ("unlabeled_test_stage.csv", 9)]
    assert rows[2]["enforcement"] == "yes"
    # every skipped line is named with its file, line and reason
    assert msgs[0] == "extra labels: 3 line(s) skipped:"
    assert msgs[1:] == [f"  {a}:3: repeated id unlabeled_test_stage.csv 9", f"  {a}:4: field '不存在'",
                        f"  {a}:5: not JSON (Expecting value: line 1 column 1 (char 0))"]
    out = tmp_path / "labels" / "extra_x.jsonl"
    D.write_label_file(rows, out)
    assert D.read_label_files([out]) == rows


def test_extra_labels_join_texts_by_source_and_id(tmp_path):
    import csv

    from jidu.screening.ml import data as D

    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "extra_1.jsonl").write_text("\n".join([
        _label_line("unlabeled_test_stage.csv", 7),
        _label_line("unlabeled_test_stage.csv", 8, enforcement="no", kind=None, problems=[]),
        _label_line("unlabeled_test_stage.csv", 99),  # no such message
        _label_line("unlabeled_attachment4_with_replies.csv", 7, field="交通运输"),
    ]) + "\n", encoding="utf-8")
    taidi = tmp_path / "data" / "taidi2020c"
    taidi.mkdir(parents=True)
    for name, rows in {
        "unlabeled_test_stage.csv": [(7, "工地夜间施工扰民", "每天晚上十一点以后还在施工，噪音很大，请查处。"),
                                     (8, "复制的留言", "这是一条和开发集重复的留言内容，用来测试去重。")],
        "unlabeled_attachment4_with_replies.csv": [(7, "公交线路建议", "希望增加一条通往新区的公交线路，方便居民出行。")],
    }.items():
        with open(taidi / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["留言编号", "留言用户", "留言主题", "留言时间", "留言详情"])
            for i, t, c in rows:
                w.writerow([i, "u", t, "2019-01-01", c])
    from jidu.screening.ml.text import model_text

    dev_texts = [model_text("复制的留言", "这是一条和开发集重复的留言内容，用来测试去重。")]
    msgs = []
    extra = D.load_extra_labels(tmp_path / "data", labels, exclude_texts=dev_texts, log=msgs.append)
    assert sorted(zip(extra.sources, extra.ids)) == [("unlabeled_attachment4_with_replies.csv", 7),
                                                     ("unlabeled_test_stage.csv", 7)]
    assert "施工" in extra.texts[extra.sources.index("unlabeled_test_stage.csv")]
    assert list(extra.enforcement) == [1, 1]
    assert extra.field[extra.sources.index("unlabeled_attachment4_with_replies.csv")] == "交通运输"
    assert any("1 id(s) without text" in m and "1 duplicate" in m for m in msgs)
    # the texts are not there: skipped with a message, nothing raised
    msgs.clear()
    empty = D.load_extra_labels(tmp_path / "absent", labels, log=msgs.append)
    assert len(empty) == 0 and msgs and "not found" in msgs[0]


def test_shipped_extra_labels_are_label_only():
    """The repo's label files carry ids and labels only: no message text column."""
    import json

    from jidu.screening.ml import data as D

    files = D.extra_label_files()
    if not files:
        pytest.skip(f"no extra label files in {D.LABELS_DIR}")
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            assert set(obj) <= set(D.LABEL_KEYS)
            assert D.validate_label(obj) is None
            assert len(obj.get("why") or "") <= 40


@needs_data
def test_extra_labels_join_with_shared_texts():
    from jidu.screening.ml import data as D

    if not D.extra_label_files():
        pytest.skip(f"no extra label files in {D.LABELS_DIR}")
    dev = D.load_dev300(DATA)
    extra = D.load_extra_labels(DATA, exclude_texts=dev.texts, log=lambda m: None)
    n_labels = len(D.read_label_files(D.extra_label_files()))
    assert len(extra) > 0.95 * n_labels
    assert not set(extra.texts) & set(dev.texts)
    assert set(extra.enforcement) == {0, 1}


# ---------------------------------------------------------------------------- opening block
def test_opening_block_equals_sklearn_on_the_text_openings():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from jidu.screening.ml.classifier import Featurizer, opening_texts

    train = ["关于A市某小区物业乱收费的投诉物业公司每月多收停车费", "请问公积金怎么提取需要什么材料",
             "A3区学校违规补课收费家长反映强烈", "小区 物业 乱收费 停车费", "ABC abc 学校补课问题",
             "关于公积金提取的咨询", "😀海鲜排档短斤少两要求查处"] * 2
    test = ["关于小区物业收费的问题请相关部门处理", "", "A", "学校 补课", "ABC Hello 世界 公积金"]
    f = Featurizer(max_char_features=500, words=["物业", "公积金"], opening_chars=8).fit(train)
    assert opening_texts(["关于 小区\t物业乱收费"], 6) == ["关于小区物业"]
    ref = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    ref.fit(opening_texts(train, 8))
    x = f.transform(test)
    sl = f.block_slices()
    assert sl["opening"].stop == x.shape[1] == f.n_features
    block = x[:, sl["opening"]].toarray()
    assert np.abs(block - ref.transform(opening_texts(test, 8)).toarray()).max() < 1e-5
    assert [n[:2] for n in f.feature_names_[sl["opening"]]] == ["o:"] * block.shape[1]
    # the other blocks are those of a featurizer without the opening block
    g = Featurizer(max_char_features=500, words=["物业", "公积金"]).fit(train)
    assert g.n_features == sl["lex"].stop
    assert np.abs(x[:, : g.n_features].toarray() - g.transform(test).toarray()).max() < 1e-6
    # block selection zeroes the other blocks' columns, shape kept
    from jidu.screening.ml.training import select_blocks

    y = select_blocks(f, x, ("char", "word", "opening")).toarray()
    assert y.shape == x.shape and not y[:, sl["lex"]].any()
    assert np.array_equal(y[:, sl["opening"]], x[:, sl["opening"]].toarray())


def test_featurizer_pickled_without_opening_block_still_loads():
    import pickle

    from jidu.screening.ml.classifier import Featurizer

    f = Featurizer(max_char_features=100).fit(["小区物业乱收费", "学校违规补课收费", "小区物业乱收费"])
    state = f.__getstate__()
    del state["opening_chars"], state["open_vec"]
    g = Featurizer.__new__(Featurizer)
    g.__setstate__(state)
    assert g.transform(["小区物业"]).shape[1] == f.n_features
    assert pickle.loads(pickle.dumps(f)).transform(["物业"]).shape == (1, f.n_features)


def test_shipped_taidi_head_uses_the_opening_block_and_not_the_cue_groups(screener):
    from jidu.screening.ml.training import TAIDI_FIELD

    head = screener.heads.get("taidi_field")
    if head is None or not screener.featurizer.opening_chars:
        pytest.skip("artifact without the opening block")
    sl = screener.featurizer.block_slices()
    assert screener.featurizer.opening_chars == TAIDI_FIELD["opening_chars"]
    assert head.coef[:, sl["lex"]].nnz == 0 and head.coef[:, sl["opening"]].nnz > 0
    # the other heads do not use the opening block
    for name, h in screener.heads.items():
        if name != "taidi_field":
            assert h.coef[:, sl["opening"]].nnz == 0, name
