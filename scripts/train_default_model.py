#!/usr/bin/env python
"""Train the default screening model shipped with Jidu.

    .venv/bin/python scripts/train_default_model.py [--data ../shared/data] [--out DIR]
                                                    [--field-labels guide15|taidi7] [--skip-figures]
                                                    [--import-labels FILE ...]

Reads ../shared/data (relative to the repo) by default, writes
``jidu/screening/ml/artifacts/screener.pkl.gz`` and ``screener.json`` (version, date, data,
split, figures). Deterministic: fixed seeds, hash-based splits. Raw texts are never written
into the repo -- only the trained weights and vocabulary.

The figures written to the metadata are the ones of ``benchmarks/screening.py`` (run it on its
own to print them; the script runs it with ``--full`` and prints its output); ``--skip-figures``
trains only.

Extra hand labels: every ``jidu/screening/ml/labels/extra*.jsonl`` (label-only: source file +
留言编号 + labels) is joined with its text in ``../shared/data/taidi2020c``.
``--import-labels a.jsonl b.jsonl`` first merges such files (validated, first label of an id
kept, sorted) into ``labels/extra_taidi2020c.jsonl``, replacing the other ``extra*.jsonl`` files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jidu.screening.ml import data as data_mod  # noqa: E402
from jidu.screening.ml import training  # noqa: E402
from jidu.screening.ml.classifier import ARTIFACT_DIR  # noqa: E402


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ARTIFACT_DIR)
    ap.add_argument("--field-labels", choices=["guide15", "taidi7"], default="guide15")
    ap.add_argument("--skip-figures", action="store_true", help="do not run the benchmark for the metadata")
    ap.add_argument("--import-labels", nargs="+", type=Path, metavar="FILE",
                    help="merge these label files into labels/extra_taidi2020c.jsonl before training")
    ap.add_argument("--only-import", action="store_true", help="with --import-labels: merge and stop")
    args = ap.parse_args(argv)

    if args.import_labels:
        rows = data_mod.read_label_files(args.import_labels, log=print)
        target = data_mod.LABELS_DIR / "extra_taidi2020c.jsonl"
        data_mod.write_label_file(rows, target)
        for old in data_mod.extra_label_files():
            if old != target:
                old.unlink()
        print(f"wrote {target} ({len(rows)} labelled messages)")
        if args.only_import:
            return 0

    data = args.data.resolve()
    if not data.exists():
        print(f"data folder not found: {data}", file=sys.stderr)
        return 2
    t0 = time.time()
    corpora = training.load_corpora(data)
    print(f"loaded data in {time.time() - t0:.1f}s: taidi raw {len(corpora.taidi.raw_text)}, "
          f"tokenised {len(corpora.taidi.tok_text)}, dev {len(corpora.dev.texts)}, "
          f"hotel {len(corpora.hotel.texts)}, unlabelled {len(corpora.unlabeled)}, "
          f"extra hand-labelled {len(corpora.extra) if corpora.extra else 0}")
    screener = training.train_screener(corpora, field_labels=args.field_labels)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "screener" if args.field_labels == "guide15" else f"screener-{args.field_labels}"
    artifact = args.out / f"{name}.pkl.gz"
    inputs = {
        str(p.relative_to(data)): _file_digest(p)
        for p in sorted(data.rglob("*.csv")) + sorted(data.rglob("*.jsonl"))
    }
    label_files = {f"jidu/screening/ml/labels/{p.name}": _file_digest(p) for p in data_mod.extra_label_files()}
    meta = {
        "version": screener.version,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "field_labels": args.field_labels,
        "heads": {n: {"type": h.type, "labels": list(h.labels), "nonzero_weights": int(h.coef.nnz),
                      "temperature": h.temperature, **({"threshold": float(h.info["threshold"]),
                                                       "threshold_source": h.info.get("threshold_source", "")}
                                                      if "threshold" in (h.info or {}) else {})}
                  for n, h in screener.heads.items()},
        "features": {"char_ngrams": screener.featurizer.n_char, "words": screener.featurizer.n_word,
                     "cue_groups": len(screener.featurizer.lexicon.names)},
        "data": {
            "source": "../shared/data (TipDM 2020 problem C message board; ChnSentiCorp hotel reviews)",
            "files_sha256_16": inputs,
            "label_files_sha256_16": label_files,
            "extra_labels": ("hand-labelled by the Jidu developers with GUIDE.md, 2026-11-27 (label-only files in "
                             "jidu/screening/ml/labels, texts joined from ../shared/data/taidi2020c)"),
            "rows": {"taidi_train_raw": len(corpora.taidi.raw_text), "taidi_train_tokenized": len(corpora.taidi.tok_text),
                     "dev_300": len(corpora.dev.texts), "hotel_reviews": len(corpora.hotel.texts),
                     "unlabeled_messages": len(corpora.unlabeled),
                     "extra_hand_labelled": len(corpora.extra) if corpora.extra else 0,
                     "extra_hand_labelled_enforcement_yes": (int(corpora.extra.enforcement.sum())
                                                             if corpora.extra else 0)},
        },
        "training": {"seed": training.SEED, "weak_weight": training.WEAK_WEIGHT,
                     "extra_weight": training.EXTRA_WEIGHT,
                     "field15_weak_weight": training.FIELD15_WEAK_WEIGHT, "kind_weak_weight": 0.0,
                     "max_weak_per_class": training.MAX_WEAK_PER_CLASS, "prune_top_k": training.PRUNE},
        "split": ("shipped model: trained on all rows. Figures: see benchmarks/screening.py -- taidi2020c train_raw "
                  "5 folds by sha1(uid) % 10 in pairs (0,1)...(8,9), tokenised copies of test rows removed; "
                  "dev_300 stratified 5-fold CV; hotel reviews test = sha1(review) % 10 in (0,1)."),
        "train_seconds": round(time.time() - t0, 1),
    }
    screener.save(artifact, meta)
    size = artifact.stat().st_size
    meta["artifact"] = {"file": artifact.name, "bytes": size, "sha256_16": _file_digest(artifact)}
    print(f"wrote {artifact} ({size / 1e6:.2f} MB) in {time.time() - t0:.1f}s")
    if not args.skip_figures and args.field_labels == "guide15":
        out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "screening.py"), "--data", str(data),
                              "--full", "--json"], capture_output=True, text=True, cwd=REPO)
        if out.returncode == 0 and out.stdout.strip():
            print("\n".join(out.stdout.strip().splitlines()[:-1]))
            meta["figures"] = json.loads(out.stdout.strip().splitlines()[-1])
            meta["figures_command"] = ".venv/bin/python benchmarks/screening.py --full"
        else:
            print(out.stderr[-2000:], file=sys.stderr)
    (args.out / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out / (name + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
