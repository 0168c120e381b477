"""Accuracy figures of the routing model (issue 4, "Figures"): top-1 / top-3 of RoutingModel vs
KeywordBaseline on the documented test split of the routing set. Pure Python (no Django).

``accuracy()`` is what ``benchmarks/routing.py`` prints. By default it evaluates the *shipped*
artifact (trained on the training split only) and a KeywordBaseline fitted on the same training
split; ``refit=True`` retrains the model from the training split first (same figures when the
artifact is current).
"""

from __future__ import annotations

import time
from pathlib import Path

from . import dataset as D
from .model import DEFAULT_BASELINE_PARAMS, KeywordBaseline, RoutingModel, topk_accuracy


def evaluate(data_dir: Path | str | None = None, model: RoutingModel | None = None, refit: bool = False,
             baseline_params: dict | None = None) -> dict:
    rs = D.build_routing_set(data_dir)
    tr_x, tr_y, te_x, te_y = rs.split()
    if model is None:
        model = RoutingModel().fit(tr_x, tr_y) if refit else RoutingModel.load()
    baseline = KeywordBaseline(**(baseline_params or DEFAULT_BASELINE_PARAMS)).fit(tr_x, tr_y)
    t0 = time.perf_counter()
    pm = model.predict_many(te_x, k=3)
    per_text_ms = (time.perf_counter() - t0) * 1000 / max(1, len(te_x))
    pb = baseline.predict_many(te_x, k=3)
    out = {
        "test_rows": len(te_x), "train_rows": len(tr_x), "classes": len(rs.classes),
        "labelled_share": round(len(rs.labelled) / len(rs.rows), 4),
        "model_top1": round(topk_accuracy(pm, te_y, 1), 4), "model_top3": round(topk_accuracy(pm, te_y, 3), 4),
        "baseline_top1": round(topk_accuracy(pb, te_y, 1), 4), "baseline_top3": round(topk_accuracy(pb, te_y, 3), 4),
        "model_ms_per_text_batch": round(per_text_ms, 3), "model_version": model.version,
    }
    out["top1_gain_points"] = round(100 * (out["model_top1"] - out["baseline_top1"]), 1)
    out["target_gain_10_points"] = "met" if out["top1_gain_points"] >= 10 else "NOT met"
    return out


def accuracy(data_dir: Path | str | None = None) -> dict:
    """Printable figures for benchmarks/routing.py; {'skipped': reason} when the data is absent."""
    data_dir = Path(data_dir) if data_dir else D.DEFAULT_DATA_DIR
    if not (data_dir / D.REPLIES_FILE).exists():
        return {"skipped": f"{data_dir / D.REPLIES_FILE} not found"}
    return evaluate(data_dir)
