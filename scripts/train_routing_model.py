#!/usr/bin/env python
"""Train the routing model shipped with Jidu (issue 4, 智能派单建议).

    .venv/bin/python scripts/train_routing_model.py [--data ../shared/data] [--out PATH] [--tune]

Builds the routing set from ``taidi2020c/unlabeled_attachment4_with_replies.csv`` (the department
named in each government reply, see jidu/jurisdiction/routing_ml/dataset.py), trains
``RoutingModel`` on the training split only (sha1(留言编号) % 10 not in {0, 1}), evaluates it and the
keyword baseline on the test split, and writes

  jidu/jurisdiction/routing_ml/artifacts/routing_model.pkl.gz   (the model: weights + vocabulary)
  jidu/jurisdiction/routing_ml/artifacts/routing_model.json     (version, date, data, split, figures)

``--tune`` first reruns the 5-fold cross-validation inside the training split that chose the
defaults (model: n-gram range x C x class weight; baseline: keywords per department x weighting)
and trains with the best settings. Raw texts are never written into the repo. n_jobs=1.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jidu.jurisdiction.routing_ml import dataset as D  # noqa: E402
from jidu.jurisdiction.routing_ml.benchmark import evaluate  # noqa: E402
from jidu.jurisdiction.routing_ml.model import (  # noqa: E402
    DEFAULT_ARTIFACT, DEFAULT_BASELINE_PARAMS, DEFAULT_PARAMS, KeywordBaseline, RoutingModel, topk_accuracy)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def cross_validate(make, texts, labels, folds: int = 5) -> tuple[float, float]:
    """Mean top-1 / top-3 over a stratified k-fold split of the training split (seed 0)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    x = np.array(texts, dtype=object)
    y = np.array(labels)
    a1, a3 = [], []
    for tr, va in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
        m = make().fit(list(x[tr]), list(y[tr]))
        p = m.predict_many(list(x[va]), k=3)
        a1.append(topk_accuracy(p, list(y[va]), 1))
        a3.append(topk_accuracy(p, list(y[va]), 3))
    return float(np.mean(a1)), float(np.mean(a3))


def tune(texts, labels) -> tuple[dict, dict, list]:
    log = []
    best_m, best_b = (None, -1.0), (None, -1.0)
    for ng, c, cw in itertools.product([(1, 2), (1, 3)], [10.0, 30.0], [None, "balanced"]):
        params = {**DEFAULT_PARAMS, "ngram_range": ng, "C": c, "class_weight": cw}
        t1, t3 = cross_validate(lambda: RoutingModel(**params), texts, labels)
        log.append({"model": {k: params[k] for k in ("ngram_range", "C", "class_weight")}, "top1": t1, "top3": t3})
        print(f"  cv model {ng} C={c} cw={cw}: top-1 {t1:.3f} top-3 {t3:.3f}", flush=True)
        if t1 > best_m[1]:
            best_m = (params, t1)
    for n, w in itertools.product([20, 40, 80, 160], ["chi2", "count"]):
        params = {"n_keywords": n, "weighting": w}
        t1, t3 = cross_validate(lambda: KeywordBaseline(**params), texts, labels)
        log.append({"baseline": params, "top1": t1, "top3": t3})
        print(f"  cv baseline {n} {w}: top-1 {t1:.3f} top-3 {t3:.3f}", flush=True)
        if t1 > best_b[1]:
            best_b = (params, t1)
    return best_m[0], best_b[0], log


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=DEFAULT_ARTIFACT)
    ap.add_argument("--tune", action="store_true", help="rerun the cross-validated search inside the training split")
    args = ap.parse_args(argv)
    data = args.data.resolve()
    src = data / D.REPLIES_FILE
    if not src.exists():
        print(f"replies file not found: {src}", file=sys.stderr)
        return 2

    t0 = time.time()
    rs = D.build_routing_set(data)
    summary = rs.summary()
    tr_x, tr_y, te_x, te_y = rs.split()
    print(f"routing set: {summary['labelled']} of {summary['rows']} rows labelled "
          f"({100 * summary['labelled_share']:.1f} %), {summary['classes']} departments "
          f"(>= {rs.min_examples} rows each); "
          f"train {len(tr_x)}, test {len(te_x)} ({time.time() - t0:.1f}s)")
    print("  classes:", json.dumps(summary["class_counts"], ensure_ascii=False))
    print("  contexts:", json.dumps(summary["context_counts"], ensure_ascii=False))

    model_params, baseline_params, cv_log = dict(DEFAULT_PARAMS), dict(DEFAULT_BASELINE_PARAMS), []
    if args.tune:
        print("5-fold CV inside the training split:")
        model_params, baseline_params, cv_log = tune(tr_x, tr_y)
    cv_model = cross_validate(lambda: RoutingModel(**model_params), tr_x, tr_y)
    cv_base = cross_validate(lambda: KeywordBaseline(**baseline_params), tr_x, tr_y)

    t0 = time.time()
    model = RoutingModel(**model_params).fit(tr_x, tr_y)
    train_s = time.time() - t0
    figures = evaluate(data, model=model, baseline_params=baseline_params)
    meta = {
        "version": model.version,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": {"file": D.REPLIES_FILE, "sha256_16": _digest(src),
                 "source": "TipDM 2020 problem C (taidi2020c), government replies to message-board posts"},
        "routing_set": summary,
        "split": f"sha1(留言编号) % 10 in {list(rs.test_buckets)} -> test; training = the rest minus texts equal to a "
                 "test text. The model is trained on the training split only.",
        "model": {"class": "RoutingModel", "params": {**model_params, "ngram_range": list(model_params["ngram_range"])},
                  "departments": model.departments, "train_seconds": round(train_s, 1)},
        "baseline": {"class": "KeywordBaseline", "params": baseline_params},
        "cv_inside_training_split": {"model_top1": round(cv_model[0], 4), "model_top3": round(cv_model[1], 4),
                                     "baseline_top1": round(cv_base[0], 4), "baseline_top3": round(cv_base[1], 4),
                                     "search": cv_log},
        "test_figures": figures,
        "machine": f"{platform.python_version()}, {os.cpu_count()} cores (shared)",
    }
    out = model.save(args.out, metadata={k: meta[k] for k in ("version", "trained_at", "split")})
    meta_path = out.with_name(out.name.replace(".pkl.gz", "") + ".json")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    t0 = time.perf_counter()
    RoutingModel.load(out)
    load_s = time.perf_counter() - t0
    print(f"cv (training split, 5 folds): model top-1 {cv_model[0]:.3f} top-3 {cv_model[1]:.3f}; "
          f"baseline top-1 {cv_base[0]:.3f} top-3 {cv_base[1]:.3f}")
    print(f"test split ({figures['test_rows']} rows): model top-1 {figures['model_top1']:.3f} "
          f"top-3 {figures['model_top3']:.3f}"
          f"; keyword baseline top-1 {figures['baseline_top1']:.3f} top-3 {figures['baseline_top3']:.3f}"
          f"; gain {figures['top1_gain_points']} points top-1 (target >= 10: {figures['target_gain_10_points']})")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, load {load_s:.2f}s) and {meta_path}; "
          f"version {model.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
