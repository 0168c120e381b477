"""rescreen, train, evaluate and load_screening_defaults."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jidu.orders.models import WorkOrder
from jidu.screening import services
from jidu.screening.models import LabelThreshold, ModelVersion, OrderScreening, Rule
from jidu.screening.tests.conftest import TRAIN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rules")]


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_load_screening_defaults_is_idempotent_and_keeps_edits():
    run("load_screening_defaults")
    n_rules, n_thr = Rule.objects.count(), LabelThreshold.objects.count()
    assert n_rules >= 6 and n_thr == 5
    Rule.objects.filter(name="短斤少两").update(priority=1)
    run("load_screening_defaults")
    assert (Rule.objects.count(), LabelThreshold.objects.count()) == (n_rules, n_thr)
    assert Rule.objects.get(name="短斤少两").priority == 1
    run("load_screening_defaults", "--reset")
    assert Rule.objects.get(name="短斤少两").priority == 50


def test_starter_rules_work_on_zhoushan_complaints(ingest, record, screener):
    run("load_screening_defaults")
    ingest(record("D-1", title="", content="嵊泗民宿因大风停航船班取消，老板拒绝退订，还不退定金"),
           record("D-2", title="", content="码头有人拉客，把游客带到购物点强迫消费"))
    services.screen_orders(WorkOrder.objects.values_list("pk", flat=True), screener=screener)
    d1 = OrderScreening.objects.get(order__order_no="D-1")
    assert "退订退款纠纷" in d1.problems.values_list("problem__name", flat=True)
    assert d1.tourism is True
    d2 = OrderScreening.objects.get(order__order_no="D-2")
    assert "黄牛揽客/强迫消费" in d2.problems.values_list("problem__name", flat=True)


def test_rescreen_needs_a_scope_and_keeps_corrections(ingest, record, active_model, make_user):
    with pytest.raises(CommandError, match="请指定范围"):
        run("rescreen")
    ingest(record("R-1"), record("R-2", received_at="2026-09-05 10:00:00"))
    r1 = WorkOrder.objects.get(order_no="R-1")
    services.correct(r1, "enforcement", False, user=make_user("sup", "supervisor"))
    out = run("rescreen", "--all", "--batch-size", "1")
    assert "重新筛查完成：2件" in out
    assert OrderScreening.objects.get(order=r1).enforcement is False
    out = run("rescreen", "--since", "2026-09-03")
    assert "重新筛查完成：1件" in out
    out = run("rescreen", "--order-no", "R-1")
    assert "重新筛查完成：1件" in out
    OrderScreening.objects.filter(order=r1).update(needs_rescreen=True)
    assert "重新筛查完成：1件" in run("rescreen", "--pending")
    assert not OrderScreening.objects.filter(needs_rescreen=True).exists()


def _write_shared_formats(tmp_path):
    """Tiny files in the shared formats (taidi2020c train_raw.csv; dev_300 csv + jsonl)."""
    taidi = tmp_path / "train_raw.csv"
    with open(taidi, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["uid", "留言编号", "留言主题", "留言详情", "text", "label"])
        rows = [("公交", "公交车晚点不发车", "交通运输"), ("社保", "社保缴费基数咨询", "劳动和社会保障"),
                ("学校", "学校乱收补课费", "教育文体"), ("工地", "工地夜间施工噪音扰民", "城乡建设")] * 3
        for i, (t, c, lab) in enumerate(rows):
            w.writerow([f"u{i}", i, t, c, t + c, lab])
    enf_csv, enf_jsonl = tmp_path / "dev.csv", tmp_path / "dev.labels.jsonl"
    with open(enf_csv, "w", encoding="utf-8", newline="") as fh, open(enf_jsonl, "w", encoding="utf-8") as jf:
        w = csv.writer(fh)
        w.writerow(["留言编号", "留言用户", "留言主题", "留言时间", "留言详情"])
        for i, e in enumerate(TRAIN):
            w.writerow([1000 + i, "U", e.title, "2020/1/1 1:00:00", e.content])
            jf.write(json.dumps({"留言编号": 1000 + i, "enforcement": "yes" if e.enforcement else "no",
                                 "kind": e.kind, "tourism": "yes" if e.tourism else "no", "field": e.field,
                                 "problems": e.problems, "sure": "high"}, ensure_ascii=False) + "\n")
    return taidi, enf_csv


def test_train_from_files_and_corrections_writes_a_versioned_artifact(tmp_path, ingest, record, make_user):
    taidi, enf = _write_shared_formats(tmp_path)
    ingest(record("TR-1"))
    services.correct(WorkOrder.objects.get(order_no="TR-1"), "enforcement", True, user=make_user("s", "supervisor"))
    out = run("train", "--from-db", "--taidi", str(taidi), "--enforcement", str(enf), "--out", str(tmp_path / "m"),
              "--model-version", "t-1", "--activate")
    assert "模型 t-1 已写入" in out and "并已启用" in out
    mv = ModelVersion.objects.get(version="t-1")
    assert mv.active and mv.metrics["examples"] == 12 + len(TRAIN) + 1
    assert (tmp_path / "m" / "screening-t-1.joblib").exists()
    ingest(record("TR-2"))
    services.screen_orders([WorkOrder.objects.get(order_no="TR-2").pk])  # uses the active model
    assert OrderScreening.objects.get(order__order_no="TR-2").model_version == mv


def test_evaluate_prints_precision_recall_f1_and_a_confusion_matrix(tmp_path, tiny_screener):
    _taidi, enf = _write_shared_formats(tmp_path)
    path = tiny_screener.save(tmp_path / "tiny.joblib")
    out = run("evaluate", "--enforcement", str(enf), "--model", str(path))
    assert "涉行政执法" in out and "精确率" in out and "召回率" in out and "F1" in out
    assert "混淆矩阵" in out and "执法领域" in out and "问题类型" in out


def test_train_refuses_without_data():
    with pytest.raises(CommandError, match="请指定数据"):
        run("train")
