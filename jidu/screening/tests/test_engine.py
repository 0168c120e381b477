"""The adapter between the ML package's results and the screening decisions."""

import pytest

from jidu.screening.engine import Prediction, adapt


def test_adapts_the_ml_packages_screening_result():
    classifier = pytest.importorskip("jidu.screening.ml.classifier")
    result = classifier.ScreeningResult(
        enforcement=True, enforcement_score=0.91, kind="violation", kind_score=0.8, field="市场监管",
        field_score=0.7, field_top3=[("市场监管", 0.7), ("文旅", 0.2), ("其他", 0.1)],
        problems=[("短斤少两", 0.88)], tourism=False, tourism_score=0.12, too_short=False,
        explanation="涉执法：依据“缺斤少两”")
    for raw in (result, result.to_dict()):
        p = adapt(raw)
        assert (p.enforcement, p.enforcement_score, p.kind, p.field) == (True, 0.91, "violation", "市场监管")
        assert p.field_top[1] == ("文旅", 0.2) and p.problems == [("短斤少两", 0.88)]
        assert (p.tourism, p.tourism_score, p.too_short) == (False, 0.12, False)
        assert p.explanation.startswith("涉执法")


def test_binary_scores_become_probability_of_yes_whatever_the_convention():
    # P(yes) convention
    assert adapt({"enforcement": False, "enforcement_score": 0.2}).enforcement_score == 0.2
    # confidence-of-the-predicted-side convention
    assert adapt({"enforcement": False, "enforcement_score": 0.8}).enforcement_score == pytest.approx(0.2)
    assert isinstance(adapt(Prediction()), Prediction)
