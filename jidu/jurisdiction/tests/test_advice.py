import datetime as dt

import pytest
from django.utils import timezone

from jidu.jurisdiction.models import ListEntry, Precedent
from jidu.jurisdiction.services import advice, lists

pytestmark = pytest.mark.django_db


def test_ranked_departments_with_reasons_and_district_mirror(order):
    o = order("A1", title="海鲜短斤少两", content="在沈家门海鲜排档买梭子蟹缺斤短两，也没有明码标价。", area="普陀区")
    result = advice.advise_order(o)
    top = result["departments"][0]
    assert top["name"] == "普陀区市场监督管理局" and top["role"] == "主办"
    assert 0 < top["confidence"] <= 1
    assert [d["score"] for d in result["departments"]] == sorted((d["score"] for d in result["departments"]),
                                                                  reverse=True)
    entry_reasons = [r for r in top["reasons"] if r["kind"] == "entry"]
    assert {r["code"] for r in entry_reasons} >= {"ZS-PD-001", "ZS-PD-002"}
    assert any("价格法" in r["basis"] for r in entry_reasons) and all(r["url"] for r in entry_reasons)
    assert any(r["kind"] == "area" and "普陀区" in r["text"] for r in top["reasons"])


def test_city_department_without_area(order):
    o = order("A2", title="拖欠工资", content="公司拖欠工资三个月不发。", area="")
    assert advice.advise_order(o)["departments"][0]["name"] == "舟山市人力资源和社会保障局"


def test_noise_by_kind(order):
    def top(text):
        return advice.advise(text)["departments"][0]["name"]

    assert top("隔壁工地夜间施工噪音太大") == "舟山市综合行政执法局"
    assert top("楼下KTV每天唱歌到半夜噪音扰民") == "舟山市公安局"
    assert top("附近工厂车间噪音很大") == "舟山市生态环境局"


def test_functional_zone_is_suggested(order):
    o = order("Z1", title="停航", content="船班取消了，民宿费用能退吗？", area="朱家尖街道")
    names = [d["name"] for d in advice.advise_order(o)["departments"]]
    assert "普陀山-朱家尖管理委员会" in names
    assert names[0] == "普陀区市场监督管理局"


def test_expired_or_inactive_entry_never_used(dept):
    text = "码头有黄牛揽客强拉硬拽"
    assert any(e["code"] == "ZS-PD-019" for e in advice.advise(text)["entries"])
    entry = ListEntry.objects.get(code="ZS-PD-019")
    entry.valid_to = timezone.localdate() - dt.timedelta(days=1)
    entry.save()
    assert not any(e["code"] == "ZS-PD-019" for e in advice.advise(text)["entries"])
    entry.valid_to, entry.valid_from = None, timezone.localdate() + dt.timedelta(days=3)
    entry.save()
    assert not any(e["code"] == "ZS-PD-019" for e in advice.advise(text)["entries"])
    entry.valid_from, entry.active = None, False
    entry.save()
    assert not any(e["code"] == "ZS-PD-019" for e in advice.advise(text)["entries"])


def test_exclude_words_and_all_of_terms(dept):
    lists.save_entry({"code": "X-1", "list_type": "catalogue", "matter": "测试", "keywords": ["甲乙+丙丁"],
                      "exclude_keywords": ["戊己"], "lead_department": dept("MZJ")})
    assert any(e["code"] == "X-1" for e in advice.advise("甲乙和丙丁")["entries"])
    assert not any(e["code"] == "X-1" for e in advice.advise("只有甲乙")["entries"])
    assert not any(e["code"] == "X-1" for e in advice.advise("甲乙和丙丁还有戊己")["entries"])


def test_top3_similar_precedents_with_links(dept):
    for i, (matter, code) in enumerate([("电竞酒店网速与宣传不符", "PT_SCJG"), ("电竞酒店未成年人入住", "PT_GA"),
                                        ("渔船非法载客出海", "PT_JTYS"), ("电竞酒店网络慢退房", "PT_SCJG")]):
        Precedent.objects.create(matter=matter, text=matter, lead_department=dept(code), citation=f"裁定{i}")
    result = advice.advise("电竞酒店网速很慢要求退房")
    assert 1 <= len(result["precedents"]) <= 3
    assert result["precedents"][0]["matter"].startswith("电竞酒店")
    assert all(p["url"].startswith("/jurisdiction/precedents/") for p in result["precedents"])
    sims = [p["similarity"] for p in result["precedents"]]
    assert sims == sorted(sims, reverse=True)


def test_model_view_is_a_reason_when_present(monkeypatch):
    class FakeModel:
        def predict(self, text, k):
            return [("舟山市民政局", 0.9), ("不存在的单位", 0.1)]

    monkeypatch.setitem(advice._model_state, "model", FakeModel())
    result = advice.advise("一段与清单无关的文字")
    assert result["departments"][0]["name"] == "舟山市民政局"
    assert result["departments"][0]["reasons"][0]["kind"] == "model"
    assert result["model"][1]["known"] is False


def test_absent_model_is_skipped():
    advice.reset_model()
    model = advice.routing_model()
    result = advice.advise("拖欠工资")
    if model is None:
        assert result["model"] is None


def test_index_is_cached_and_invalidated_on_save(dept, django_assert_num_queries):
    advice.advise("预热")
    with django_assert_num_queries(0):
        advice.advise("海鲜短斤少两")
    lists.save_entry({"code": "X-2", "list_type": "catalogue", "matter": "新", "keywords": ["独一无二词"],
                      "lead_department": dept("MZJ")})
    assert advice.advise("独一无二词")["entries"][0]["code"] == "X-2"


def test_the_shipped_models_department_types_map_to_this_citys_departments(order):
    advice.reset_model()  # the conftest switches the model off; this test wants the shipped one
    if advice.routing_model() is None:
        pytest.skip("no shipped routing model in jidu/jurisdiction/routing_ml/artifacts")
    o = order("M1", title="学校违规补课收费", content="孩子就读的初中周末组织集体补课并收取补课费，要求教育部门查处。",
              area="定海区")
    result = advice.advise_order(o)
    model = [m for m in result["model"] if m["known"]]
    assert model, result["model"]
    names = [d["name"] for d in result["departments"]]
    assert any("教育局" in n for n in names[:3]), names
