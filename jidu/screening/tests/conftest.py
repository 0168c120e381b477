"""Screening test fixtures: a tiny *real* model (scikit-learn, trained here from a handful of
synthetic sentences — no files from ../shared), rules and thresholds as data."""

import pytest

from jidu.screening.training import Example, train_sklearn

SHORT_WEIGHT = "在沈家门海鲜排档买梭子蟹缺斤少两，商家用鬼秤，要求市场监管部门查处"
TRAIN = [
    Example("海鲜排档短斤少两", SHORT_WEIGHT, True, "violation", "市场监管", ["短斤少两"], True),
    Example("水果店缺斤少两", "菜场水果店短斤少两，一斤苹果少了二两，请市场监管局查处", True, "violation", "市场监管",
            ["短斤少两"], False),
    Example("超市鬼秤", "超市称重不足，用作弊秤坑消费者，举报要求处罚", True, "violation", "市场监管", ["短斤少两"], False),
    Example("民宿不退订金", "台风停航船班取消，朱家尖民宿拒绝退还订金，游客要求退款", True, "violation", "文旅",
            ["退订退款纠纷"], True),
    Example("景区黄牛揽客", "普陀山景区门口黄牛拉客强迫游客消费，要求文旅部门整治", True, "violation", "文旅",
            ["黄牛揽客/强迫消费"], True),
    Example("旅行社强迫购物", "跟团游旅行社导游强迫游客进购物点消费，举报", True, "violation", "文旅",
            ["黄牛揽客/强迫消费"], True),
    Example("黑车拉客", "码头有黑车非法营运拉客，价格很高，要求交通运输部门查处", True, "violation", "交通运输",
            ["非法营运"], True),
    Example("出租车拒载绕路", "出租车司机拒载还绕路不打表，投诉要求处理", True, "violation", "交通运输", ["非法营运"], False),
    Example("城管不作为", "多次举报小区违章建筑，综合执法局一直不作为，推诿扯皮", True, "conduct", "综合执法",
            ["执法不作为/乱作为", "违章建筑/违法用地"], False),
    Example("执法人员乱罚款", "执法人员乱罚款，态度恶劣，投诉执法人员乱作为", True, "conduct", "市场监管",
            ["执法不作为/乱作为"], False),
    Example("咨询公交线路", "请问从定海到沈家门的公交车几点发车，末班车是几点", False, None, "交通运输", [], False),
    Example("咨询社保", "请问灵活就业人员社保怎么缴纳，需要带什么材料去办理", False, None, "人社", [], False),
    Example("建议增设路灯", "建议在小区门口道路增设路灯，晚上出行不方便", False, None, "住建", [], False),
    Example("咨询公积金", "想咨询住房公积金提取需要哪些手续，网上能不能办理", False, None, "住建", [], False),
    Example("停水咨询", "小区今天停水了，请问什么时候恢复供水，有没有通知", False, None, "住建", [], False),
    Example("表扬民警", "感谢派出所民警帮忙找回丢失的钱包，提出表扬", False, None, "公安", [], False),
]


@pytest.fixture(scope="session")
def tiny_screener():
    return train_sklearn(TRAIN, version="test-tiny-1", data="synthetic test sentences")


@pytest.fixture
def screener(tiny_screener, db):
    return tiny_screener


@pytest.fixture
def make_rule(db):
    from jidu.screening.models import Rule

    def make(**kw):
        defaults = {"name": "规则", "label": "problem", "value": "短斤少两", "match": "any", "pattern": "鬼秤",
                    "effect": "suggest"}
        defaults.update(kw)
        return Rule.objects.create(**defaults)

    return make


@pytest.fixture
def order(ingest, record):
    from jidu.orders.models import WorkOrder

    ingest(record("S-001"))
    return WorkOrder.objects.get(order_no="S-001")


@pytest.fixture
def no_default_model(settings, monkeypatch):
    """Make sure screening without an explicit screener uses no model (rules only)."""
    from jidu.screening import engine

    monkeypatch.setattr(engine, "get_screener", lambda: None)


@pytest.fixture
def clean_rules(db):
    """Start without the seeded starter rules and thresholds (tests add what they need)."""
    from jidu.screening.models import LabelThreshold, Rule

    Rule.objects.all().delete()
    LabelThreshold.objects.all().delete()


@pytest.fixture
def active_model(tiny_screener, tmp_path, db):
    """The tiny model saved as an artifact and activated, as `train --activate` would."""
    from jidu.screening.engine import reset_screener_cache
    from jidu.screening.models import ModelVersion

    path = tiny_screener.save(tmp_path / "screening-test-tiny-1.joblib")
    reset_screener_cache()
    mv = ModelVersion.objects.create(version="test-tiny-1", path=str(path), active=True)
    yield mv
    reset_screener_cache()


@pytest.fixture(autouse=True)
def _screening_alone(monkeypatch):
    """Screening's tests look at screening only: grading (which follows every screening through
    the orders_screened signal) has its own tests."""
    from jidu.screening.signals import orders_screened

    monkeypatch.setattr(orders_screened, "receivers",
                        [r for r in orders_screened.receivers if r[0][0] != "grading.grade_screened"])
    monkeypatch.setattr(orders_screened, "sender_receivers_cache", {})
