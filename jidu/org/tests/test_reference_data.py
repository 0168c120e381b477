"""Checks of the default city's reference data files (pure Python: runnable with ``-p no:django``)."""
from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
AREA_KINDS = {"city", "district", "county", "zone", "town", "street"}
# Department levels accepted by jidu.org.models.Department.Level (a county's bureaus are "district").
DEPARTMENT_LEVELS = {"province", "city", "district", "zone", "town"}
GUIDE_FIELDS = ["文旅", "市场监管", "交通运输", "住建", "资源规划", "生态环境", "综合执法", "卫生健康", "人社", "教育",
                "农业农村", "公安", "应急消防", "民政", "其他"]
GUIDE_PROBLEMS = ["虚假宣传", "短斤少两", "黄牛揽客/强迫消费", "价格违法", "退订退款纠纷", "无证无照经营", "食品安全",
                  "产品质量", "噪声扰民", "环境污染", "违章建筑/违法用地", "非法营运", "占道经营/市容", "欠薪/劳动违法",
                  "安全隐患", "执法不作为/乱作为", "其他违法"]
CANONICAL_KEYS = {"order_no", "source", "order_type", "channel", "received_at", "caller_name", "caller_phone",
                  "caller_id_number", "title", "content", "address", "area", "hotline_category", "lead_department",
                  "co_departments", "status", "return_reason", "due_at", "reply_text", "replied_at",
                  "callback_resolution", "callback_satisfaction", "callback_at", "updated_at"}


@pytest.fixture(autouse=True)
def _isolated_settings():
    """The project conftest's autouse fixture of this name needs pytest-django; these checks
    only read JSON files and override it with a no-op."""
    yield


@pytest.fixture(scope="module")
def city():
    return json.loads((DATA / "zhoushan.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def synonyms():
    return json.loads((DATA / "header_synonyms.json").read_text(encoding="utf-8"))


def _unique(values):
    dup = [v for v, n in collections.Counter(values).items() if n > 1]
    assert not dup, f"duplicates: {dup}"


def test_well_formed(city):
    assert set(city) == {"city", "areas", "fields", "problem_types", "departments"}
    assert city["city"] == {"code": "330900", "name": "舟山市", "short": "舟山", "doc_prefix": "舟司执监"}
    for key in ("areas", "fields", "problem_types", "departments"):
        assert isinstance(city[key], list) and city[key]
        for item in city[key]:
            assert isinstance(item["code"], str) and item["code"]
            assert isinstance(item["name"], str) and item["name"]
            for alias in item.get("aliases", []):
                assert isinstance(alias, str) and alias


def test_codes_and_names_unique(city):
    for key in ("areas", "fields", "problem_types", "departments"):
        _unique([x["code"] for x in city[key]])
    _unique([a["name"] for a in city["areas"]])
    _unique([d["name"] for d in city["departments"]])
    _unique([f["name"] for f in city["fields"]])
    _unique([p["name"] for p in city["problem_types"]])
    for d in city["departments"]:
        assert re.fullmatch(r"[A-Z0-9_]{2,30}", d["code"]), d["code"]


def test_areas_tree(city):
    areas = {a["code"]: a for a in city["areas"]}
    names = {a["name"] for a in city["areas"]}
    roots = [a for a in city["areas"] if a["parent"] is None]
    assert [a["code"] for a in roots] == [city["city"]["code"]]
    assert roots[0]["kind"] == "city" and roots[0]["name"] == city["city"]["name"]
    for a in city["areas"]:
        assert a["kind"] in AREA_KINDS, a
        if a["parent"] is None:
            continue
        parent = areas[a["parent"]]  # parent exists
        if a["kind"] in ("district", "county", "zone"):
            assert parent["kind"] == "city", a
        elif a["kind"] in ("town", "street"):
            assert parent["kind"] in ("district", "county"), a
            assert re.fullmatch(r"\d{9}", a["code"]) and a["code"].startswith(parent["code"]), a
            assert a["name"].endswith("街道") == (a["kind"] == "street"), a
        if a["kind"] in ("district", "county"):
            assert re.fullmatch(r"\d{6}", a["code"]), a
        if a["kind"] == "zone":
            assert re.fullmatch(r"3309Z\d", a["code"]), a  # invented, outside the civil code range
            for code in a.get("covers", []):
                assert areas[code]["kind"] in ("town", "street"), a
        for alias in a.get("aliases", []):
            assert alias not in names or alias == a["name"], (a["name"], alias)
    assert {a["name"] for a in city["areas"] if a["kind"] in ("district", "county")} == {"定海区", "普陀区", "岱山县", "嵊泗县"}
    assert {a["name"] for a in city["areas"] if a["kind"] == "zone"} == {"普陀山-朱家尖", "舟山群岛新区新城", "舟山高新技术产业园区"}
    for name in ("沈家门街道", "朱家尖街道", "东极镇", "桃花镇", "六横镇", "普陀山镇", "高亭镇", "秀山乡", "衢山镇", "菜园镇",
                 "花鸟乡", "枸杞乡", "嵊山镇", "昌国街道", "临城街道", "千岛街道", "金塘镇", "干䃣镇"):
        assert name in names, name
    all_aliases = [x for a in city["areas"] for x in a.get("aliases", [])]
    _unique(all_aliases)


def test_fields_and_problem_types_follow_the_guide(city):
    assert [f["name"] for f in city["fields"]] == GUIDE_FIELDS
    assert [p["name"] for p in city["problem_types"]] == GUIDE_PROBLEMS
    field_codes = {f["code"] for f in city["fields"]}
    for p in city["problem_types"]:
        assert p["fields"] and set(p["fields"]) <= field_codes, p


def test_every_field_maps_to_existing_departments(city):
    deps = {d["code"]: d for d in city["departments"]}
    for f in city["fields"]:
        assert f["departments"], f
        for code in f["departments"]:
            assert code in deps, (f["code"], code)
            if f["code"] != "qita":
                assert deps[code]["is_enforcement"], (f["code"], code)
                assert f["code"] in deps[code]["fields"], (f["code"], code)


def test_departments(city):
    areas = {a["code"]: a for a in city["areas"]}
    deps = {d["code"]: d for d in city["departments"]}
    field_codes = {f["code"] for f in city["fields"]}
    for d in city["departments"]:
        assert d["level"] in DEPARTMENT_LEVELS, d
        assert d["parent"] is None or d["parent"] in deps, d
        assert d["area"] in areas, d
        assert isinstance(d["is_enforcement"], bool), d
        assert set(d["fields"]) <= field_codes, d
        assert d["short_name"] and len(d["name"]) <= 80 and len(d["short_name"]) <= 40, d
        if d["level"] == "city":
            assert d["area"] == city["city"]["code"], d
        if d["level"] == "zone":
            assert areas[d["area"]]["kind"] == "zone", d
        if d["level"] == "town":
            assert areas[d["area"]]["kind"] in ("town", "street"), d
        if d["level"] == "district":
            assert areas[d["area"]]["kind"] in ("district", "county"), d
            assert d["parent"] and deps[d["parent"]]["level"] == "city", d  # mirror of a city department
    # parents form no cycle
    for d in city["departments"]:
        seen, node = set(), d
        while node["parent"]:
            assert node["code"] not in seen, d
            seen.add(node["code"])
            node = deps[node["parent"]]
    names = {d["name"] for d in city["departments"]}
    for name in ("舟山市司法局", "舟山市信访局", "舟山市12345政务服务便民热线中心", "舟山市市场监督管理局",
                 "舟山市文化和广电旅游体育局", "舟山市交通运输局", "舟山市住房和城乡建设局", "舟山市自然资源和规划局",
                 "舟山市综合行政执法局", "舟山市生态环境局", "舟山市公安局", "舟山市卫生健康委员会",
                 "舟山市人力资源和社会保障局", "舟山市教育局", "舟山市农业农村局", "舟山市海洋与渔业局", "舟山市应急管理局",
                 "舟山市消防救援支队", "舟山市民政局", "舟山市商务局", "舟山市发展和改革委员会",
                 "普陀山-朱家尖管理委员会", "舟山群岛新区新城管理委员会", "舟山高新技术产业园区管理委员会"):
        assert name in names, name
    assert deps["SFJ"]["is_enforcement"] is False and deps["SCJG"]["is_enforcement"] is True
    # every district/county mirrors the main enforcement bodies
    for district in (a for a in city["areas"] if a["kind"] in ("district", "county")):
        mirrored = {d["parent"] for d in city["departments"] if d["area"] == district["code"] and d["parent"]}
        assert {"SCJG", "ZHZF", "WGLT", "JTYS", "ZJJ", "RSJ", "GAJ", "STHJ", "ZRZY"} <= mirrored, district["name"]
    assert any(d["level"] == "town" for d in city["departments"])


def test_header_synonyms(synonyms):
    assert set(synonyms) == CANONICAL_KEYS
    headers = [h for hs in synonyms.values() for h in hs]
    _unique(headers)
    for key, hs in synonyms.items():
        assert hs and all(isinstance(h, str) and h.strip() == h and 0 < len(h) <= 60 for h in hs), key
    assert {"工单编号", "工单号", "编号"} <= set(synonyms["order_no"])
    assert {"来电时间", "受理时间"} <= set(synonyms["received_at"])
    assert {"诉求内容", "主要内容", "问题描述"} <= set(synonyms["content"])
