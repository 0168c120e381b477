"""Tests of the routing model package (pure Python: runnable with ``-p no:django``).

The example replies below are written for these tests; none is copied from the data."""
from __future__ import annotations

import time

import pytest

from jidu.jurisdiction.routing_ml import (DEFAULT_ARTIFACT, ZHOUSHAN_DEPARTMENT_CODES, KeywordBaseline,
                                          RoutingModel, topk_accuracy)
from jidu.jurisdiction.routing_ml import dataset as D


@pytest.fixture(autouse=True)
def _isolated_settings():
    """The project conftest's autouse fixture of this name needs pytest-django; these tests are
    pure Python and override it with a no-op."""
    yield


# ------------------------------------------------------------------------------ extraction
@pytest.mark.parametrize("reply, expected, context", [
    ("网友您好！您的留言已收悉。经B2区住房和城乡建设局调查核实，现回复如下：该楼盘已督促开发商整改。", "住建", "handler"),
    ("您好！您反映的问题已转Q市教育局调查处理。2020年3月2日", "教育", "handler"),
    ("网友：您好，现将情况回复如下：停车位已重新划线，请您放心。R5县交通运输局2018年6月1日", "交通", "signature"),
    ("经调查，该路段夜间确有施工。感谢您的理解。H3区城市管理和综合执法局 二〇一九年四月十日", "城管", "signature"),
    ("来信收悉。该酒吧离附近的派出所不远，夜里仍很吵。", None, None),  # mention without an answering context
    ("来信收悉。辖区派出所已对该酒吧进行了检查。", "公安", "handler"),
    ("你好！针对噪音问题，桃园派出所已立即出警并进行了处置。", "公安", "handler"),
    ("网友你好：我镇高度重视你反映的道路硬化问题，已列入明年计划。", "街道乡镇", "handler"),
    ("网友你好：你反映的道路硬化问题，我乡将列入明年计划。", "街道乡镇", "self"),
    ("感谢您对住建工作的支持！", "住建", "self"),
    ("您好，社保转移问题请向当地人力资源和社会保障局咨询。", "人社", "referral"),
    ("网友：您好！留言已收悉", None, None),
    ("您好！您反映的问题已转有关部门调查处理，敬请关注。", None, None),
    ("根据西地省人民政府的文件精神，此事按政策办理。", None, None),  # generic government body, no type
])
def test_extract_department_from_reply_openings(reply, expected, context):
    assert D.extract_department(reply) == (expected, context)


def test_signature_beats_an_earlier_mention_and_last_signature_wins():
    reply = ("您好，已转市自然资源局调查。经查，该宅基地审批符合规定。"
             "感谢您的关注。P2县自然资源局2019年5月6日")
    assert D.extract_department(reply) == ("自然资源", "signature")
    forwarded = "留言已转交P市公安局。2019年5月1日网友您好：学校已停止收费。P2县教育局2019年5月8日"
    assert D.extract_department(forwarded) == ("教育", "signature")


@pytest.mark.parametrize("name, expected", [
    ("A市住房和城乡建设局", "住建"), ("A3区教育局", "教育"), ("西地省生态环境厅", "生态环境"),
    ("舟山市综合行政执法局", "城管"), ("定海区市场监督管理局", "市场监管"), ("K市公安局交警支队", "公安"),
    ("县环保局", "生态环境"), ("市人口计生委", "卫健"), ("A市住房公积金管理中心", "公积金"),
    ("C市国土资源局", "自然资源"), ("A7县城管局", "城管"), ("市发展和改革委员会", "发改"),
    ("A5区医疗保障局", "医保"), ("东湖街道办事处", "街道乡镇"), ("舟山市人力资源和社会保障局", "人社"),
    ("中共A市委", None), ("A县人民政府", None),
])
def test_normalise_department_names(name, expected):
    assert D.normalise_department(name) == expected
    assert D.department_type(name) == expected


def test_hash_split_is_deterministic():
    assert D.hash_bucket("12345") == D.hash_bucket("12345")
    assert {D.hash_bucket(str(i)) for i in range(200)} == set(range(10))


def test_zhoushan_codes_exist():
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).resolve().parents[3] / "org" / "data" / "zhoushan.json").read_text("utf-8"))
    codes = {d["code"] for d in data["departments"]}
    assert all(c in codes for c in ZHOUSHAN_DEPARTMENT_CODES.values() if c)


# ------------------------------------------------------------------------------ model
SYNTH = {
    "学校部": ["孩子所在学校周末补课收费", "老师体罚学生家长很担心", "小学入学划片不合理", "学校食堂饭菜质量差",
             "幼儿园收费太高", "中学老师有偿家教", "学生课业负担重作业太多", "学校校车超载"],
    "道路部": ["公交线路绕路太远希望调整", "出租车拒载乱收费", "道路坑洼不平需要修补", "公交站台没有遮雨棚",
             "客运班车停运不退票", "网约车非法营运", "乡村公路硬化问题", "货车超载损坏公路"],
    "环境部": ["工厂排放废气刺鼻难闻", "河道污水直排发黑发臭", "养猪场臭气熏天污染环境", "夜间工厂噪声超标",
             "垃圾焚烧冒黑烟污染空气", "化工厂偷排废水", "搅拌站粉尘污染", "企业违规排污"],
}


def _corpus(repeat=3):
    texts, labels = [], []
    for dept, items in SYNTH.items():
        for r in range(repeat):
            for t in items:
                texts.append(f"{t}，请有关部门处理{r}")
                labels.append(dept)
    return texts, labels


def test_model_fit_predict_save_load_round_trip(tmp_path):
    texts, labels = _corpus()
    model = RoutingModel(C=10.0).fit(texts, labels)
    assert sorted(model.departments) == sorted(SYNTH)
    top = model.predict("学校老师周末给学生补课", k=3)
    assert len(top) == 3 and top[0][0] == "学校部"
    assert abs(sum(p for _, p in model.predict("学校老师", k=10)) - 1.0) < 1e-6  # softmax over all
    assert [p for _, p in top] == sorted((p for _, p in top), reverse=True)
    assert model.predict("出租车不打表", k=1)[0][0] == "道路部"
    many = model.predict_many(["河道污水发臭", "公交太挤"], k=2)
    assert [m[0][0] for m in many] == ["环境部", "道路部"] and all(len(m) == 2 for m in many)
    path = model.save(tmp_path / "m.pkl.gz", metadata={"note": "test"})
    again = RoutingModel.load(path)
    assert again.version == model.version and again.version.startswith("routing-")
    assert again.metadata == {"note": "test"}
    assert again.predict("学校老师周末给学生补课", k=3) == top


def test_model_rejects_bad_input():
    with pytest.raises(ValueError):
        RoutingModel().fit(["a", "b"], ["x", "x"])
    with pytest.raises(ValueError):
        RoutingModel().fit(["a"], ["x", "y"])
    with pytest.raises(RuntimeError):
        RoutingModel().predict("任何文本")


def test_model_works_with_any_department_names():
    texts, labels = _corpus()
    names = {"学校部": "舟山市教育局", "道路部": "DH_JTYS", "环境部": "生态环境局定海分局"}
    model = RoutingModel().fit(texts, [names[x] for x in labels])
    assert model.predict("幼儿园乱收费", k=1)[0][0] == "舟山市教育局"


def test_keyword_baseline_behaviour():
    texts, labels = _corpus()
    base = KeywordBaseline(n_keywords=200, min_df=2).fit(texts, labels)
    assert set(base.keywords) == set(SYNTH)
    assert all(0 < len(kws) <= 201 for kws in base.keywords.values())
    assert "学校" in {w for w, _ in base.keywords["学校部"]}
    assert not {w for w, _ in base.keywords["学校部"]} & {w for w, _ in base.keywords["环境部"]}
    assert base.predict("学校老师补课", k=1)[0][0] == "学校部"
    assert base.predict("污水排放", k=1)[0][0] == "环境部"
    # no keyword hit: falls back to the prior ranking (all equal here -> deterministic by name)
    none = base.predict("今天天气很好", k=3)
    assert len(none) == 3 and sorted(d for d, _ in none) == sorted(SYNTH)
    preds = base.predict_many(["学校老师补课", "污水排放"], k=1)
    assert topk_accuracy(preds, ["学校部", "环境部"], 1) == 1.0


# ------------------------------------------------------------------------------ real data
DATA_FILE = D.DEFAULT_DATA_DIR / D.REPLIES_FILE
needs_data = pytest.mark.skipif(not DATA_FILE.exists(), reason=f"shared data not present: {DATA_FILE}")


@pytest.fixture(scope="module")
def routing_set():
    return D.build_routing_set()


@needs_data
def test_extraction_labels_at_least_40_percent(routing_set):
    share = len(routing_set.labelled) / len(routing_set.rows)
    assert len(routing_set.rows) == 2797
    assert share >= 0.40, share
    assert all(n >= D.MIN_EXAMPLES for n in routing_set.class_counts().values())
    tr_x, tr_y, te_x, te_y = routing_set.split()
    assert not set(tr_x) & set(te_x)
    assert 0.15 < len(te_x) / (len(tr_x) + len(te_x)) < 0.25


@needs_data
@pytest.mark.skipif(not DEFAULT_ARTIFACT.exists(), reason="no shipped artifact (run scripts/train_routing_model.py)")
def test_shipped_artifact_beats_keyword_baseline(routing_set):
    from jidu.jurisdiction.routing_ml.model import DEFAULT_BASELINE_PARAMS

    t0 = time.perf_counter()
    model = RoutingModel.load()
    assert time.perf_counter() - t0 < 1.0
    assert DEFAULT_ARTIFACT.stat().st_size <= 5 * 1024 * 1024
    tr_x, tr_y, te_x, te_y = routing_set.split()
    assert set(model.departments) == set(routing_set.classes)
    base = KeywordBaseline(**DEFAULT_BASELINE_PARAMS).fit(tr_x, tr_y)
    m1 = topk_accuracy(model.predict_many(te_x, k=3), te_y, 1)
    b1 = topk_accuracy(base.predict_many(te_x, k=3), te_y, 1)
    assert m1 - b1 >= 0.10, (m1, b1)
    assert topk_accuracy(model.predict_many(te_x, k=3), te_y, 3) > m1
