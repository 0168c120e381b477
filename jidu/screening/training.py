"""Training data and a small scikit-learn screener, used by the ``train`` / ``evaluate`` commands
until (and wherever) the ML package (``jidu.screening.ml``) provides its own.

Replaceable in one place: :func:`train` calls ``jidu.screening.ml.training.train_screener(examples,
version=…)`` when that exists and falls back to :class:`SklearnScreener` otherwise. Both return an
object with ``version``, ``save(path)`` and ``screen_many(pairs)``.

Examples come from people's corrections in the database (items still awaiting review are left
out, as paperless-ngx does) and from the shared file formats: taidi2020c CSV (7 first-level labels,
mapped to the guide's fields) and the enforcement-labels ``dev_300`` CSV + JSONL.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

ARTIFACT_FORMAT = "jidu-screening-sklearn-1"

# taidi2020c first-level labels → the labelling guide's fields (approximate; documented in the
# model card the train command writes).
TAIDI_TO_FIELD = {"城乡建设": "住建", "劳动和社会保障": "人社", "教育文体": "教育", "商贸旅游": "市场监管",
                  "环境保护": "生态环境", "卫生计生": "卫生健康", "交通运输": "交通运输"}


@dataclass
class Example:
    title: str
    content: str
    enforcement: bool | None = None
    kind: str | None = None
    field: str | None = None
    problems: list[str] | None = None
    tourism: bool | None = None
    source: str = ""
    extra: dict = dc_field(default_factory=dict)


def _model_text(title: str, content: str) -> str:
    try:
        from jidu.screening.ml.text import model_text
    except ImportError:  # pragma: no cover
        return f"{title or ''} {content or ''}"[:3000]
    return model_text(title, content)


# ---- data --------------------------------------------------------------------------------------
def examples_from_db(queryset=None) -> list[Example]:
    """Orders people labelled: the latest correction per label is the truth; labels nobody
    confirmed are left out (None), so the model never learns from its own guesses."""
    from jidu.orders.models import WorkOrder
    from jidu.screening.models import Correction

    latest: dict[int, dict[str, object]] = {}
    rows = Correction.objects.order_by("order_id", "label", "-at", "-id").values_list("order_id", "label", "value")
    if queryset is not None:
        rows = rows.filter(order__in=queryset)
    for order_id, label, value in rows:
        latest.setdefault(order_id, {}).setdefault(label, value)
    texts = {pk: (t, c) for pk, t, c in
             WorkOrder.objects.filter(pk__in=list(latest)).values_list("pk", "title", "content")}
    out = []
    for order_id, labels in latest.items():
        if order_id not in texts:
            continue
        title, content = texts[order_id]
        out.append(Example(title or "", content or "", enforcement=labels.get("enforcement"),
                           kind=labels.get("kind") or None, field=labels.get("field") or None,
                           problems=labels.get("problem"), tourism=labels.get("tourism"), source="db",
                           extra={"order_id": order_id}))
    return out


def examples_from_taidi(path: str | Path, map_fields: bool = True) -> list[Example]:
    """taidi2020c ``train_raw.csv`` (留言主题/留言详情/text, label) or ``train_tokenized.csv``
    (tokens joined back without spaces)."""
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            label = (row.get("label") or "").strip()
            if not label:
                continue
            if "tokens" in row and not row.get("留言详情"):
                title, content = "", (row.get("tokens") or "").replace(" ", "")
            else:
                title, content = row.get("留言主题") or "", row.get("留言详情") or row.get("text") or ""
            out.append(Example(title, content, field=TAIDI_TO_FIELD.get(label, label) if map_fields else label,
                               source="taidi2020c"))
    return out


def examples_from_enforcement(csv_path: str | Path, labels_path: str | Path | None = None) -> list[Example]:
    """enforcement-labels ``dev_300.csv`` joined with ``dev_300.labels.jsonl`` on 留言编号."""
    csv_path = Path(csv_path)
    labels_path = Path(labels_path) if labels_path else csv_path.with_suffix(".labels.jsonl")
    labels = {}
    with open(labels_path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                labels[str(item.get("留言编号"))] = item
    out = []
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            item = labels.get(str(row.get("留言编号")))
            if item is None:
                continue
            enf = item.get("enforcement")
            out.append(Example(
                row.get("留言主题") or "", row.get("留言详情") or "",
                enforcement=None if enf is None else enf == "yes", kind=item.get("kind") or None,
                field=item.get("field") or None, problems=list(item.get("problems") or []),
                tourism=None if item.get("tourism") is None else item.get("tourism") == "yes",
                source="enforcement-labels", extra={"sure": item.get("sure")}))
    return out


# ---- the small screener ------------------------------------------------------------------------
def _py(value):
    """numpy scalar → plain Python (JSON fields and `is True` checks need real bools/strs)."""
    return value.item() if isinstance(value, np.generic) else value


class _Constant:
    """A head trained on one class only: always that class."""

    def __init__(self, value):
        self.classes_ = np.array([value], dtype=object)

    def predict_proba(self, x):
        return np.ones((x.shape[0], 1))


def _fit_head(x, y):
    from sklearn.linear_model import LogisticRegression

    values = sorted(set(y), key=str)
    if len(values) < 2:
        return _Constant(values[0]) if values else None
    clf = LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced")
    clf.fit(x, list(y))
    return clf


class SklearnScreener:
    """Character n-gram TF-IDF + one logistic regression per label group."""

    format = ARTIFACT_FORMAT

    def __init__(self, vectorizer, heads: dict, problem_heads: dict, version: str, data: str = ""):
        self.vectorizer = vectorizer
        self.heads = heads
        self.problem_heads = problem_heads
        self.version = version
        self.data = data
        self.path = ""

    # persistence
    def save(self, path: str | Path) -> Path:
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        joblib.dump({"format": ARTIFACT_FORMAT, "screener": self}, path, compress=3)
        return path

    @classmethod
    def load(cls, path: str | Path) -> SklearnScreener:
        import joblib

        payload = joblib.load(path)
        screener = payload["screener"]
        screener.path = str(path)
        return screener

    # prediction
    def _head(self, name, x):
        head = self.heads.get(name)
        if head is None:
            return [(None, None)] * x.shape[0], None
        proba = head.predict_proba(x)
        classes = list(head.classes_)
        best = proba.argmax(axis=1)
        return [(_py(classes[i]), float(proba[r, i])) for r, i in enumerate(best)], (classes, proba)

    def screen_many(self, pairs):
        from jidu.screening.engine import Prediction, text_too_short

        texts = [_model_text(t, c) for t, c in pairs]
        x = self.vectorizer.transform(texts)
        enf, _ = self._head("enforcement", x)
        kind, _ = self._head("kind", x)
        fld, fld_all = self._head("field", x)
        tour, _ = self._head("tourism", x)
        problem_scores = {}
        for name, head in self.problem_heads.items():
            proba = head.predict_proba(x)
            classes = list(head.classes_)
            problem_scores[name] = proba[:, classes.index(True)] if True in classes else np.zeros(x.shape[0])
        out = []
        for i, (title, content) in enumerate(pairs):
            if text_too_short(title, content):
                out.append(Prediction(too_short=True, explanation="内容过少，无法判断"))
                continue
            e_val, e_score = enf[i]
            t_val, t_score = tour[i]
            f_val, f_score = fld[i]
            top = []
            if fld_all is not None:
                classes, proba = fld_all
                order = np.argsort(-proba[i])[:3]
                top = [(str(classes[j]), float(proba[i, j])) for j in order]
            probs = sorted(((n, float(s[i])) for n, s in problem_scores.items() if s[i] >= 0.2),
                           key=lambda p: -p[1])
            p_yes = None if e_val is None else (e_score if e_val else 1 - e_score)
            t_yes = None if t_val is None else (t_score if t_val else 1 - t_score)
            parts = []
            if e_val is not None:
                parts.append(f"{'涉' if e_val else '不涉'}行政执法 {e_score:.2f}")
            if f_val:
                parts.append(f"领域 {f_val} {f_score:.2f}")
            out.append(Prediction(
                enforcement=e_val, enforcement_score=p_yes, kind=kind[i][0], kind_score=kind[i][1],
                field=f_val, field_score=f_score, field_top=top, problems=probs,
                tourism=t_val, tourism_score=t_yes,
                explanation=f"模型 {self.version}：" + "；".join(parts) if parts else ""))
        return out


def train_sklearn(examples: list[Example], version: str, data: str = "") -> SklearnScreener:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [_model_text(e.title, e.content) for e in examples]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1,
                                 max_features=200_000, dtype=np.float32)
    x = vectorizer.fit_transform(texts)
    heads = {}
    for name in ("enforcement", "kind", "field", "tourism"):
        idx = [i for i, e in enumerate(examples) if getattr(e, name) not in (None, "")]
        if idx:
            heads[name] = _fit_head(x[idx], [getattr(examples[i], name) for i in idx])
    problem_heads = {}
    labelled = [i for i, e in enumerate(examples) if e.problems is not None]
    names = sorted({p for i in labelled for p in examples[i].problems})
    for name in names:
        y = [name in examples[i].problems for i in labelled]
        head = _fit_head(x[labelled], y)
        if head is not None:
            problem_heads[name] = head
    return SklearnScreener(vectorizer, heads, problem_heads, version, data)


def train(examples: list[Example], version: str, data: str = ""):
    """Train on labelled examples (DB corrections and/or files). The small screener above is used
    because the ML package's ``train_screener`` trains from whole corpora (see
    :func:`train_from_shared_data`), not from a list of examples; a ``train_from_examples`` in
    ``jidu.screening.ml.training`` is used instead as soon as it exists."""
    try:
        from jidu.screening.ml.training import train_from_examples  # type: ignore[attr-defined]
    except ImportError:
        return train_sklearn(examples, version, data)
    return train_from_examples(examples, version=version)


def train_from_shared_data(data_dir: str | Path, version: str | None = None, log=print):
    """The full model of the ML package, trained from a folder laid out like ../shared/data."""
    from jidu.screening.ml import training as ml_training

    screener = ml_training.train_screener(ml_training.load_corpora(Path(data_dir)), log=log)
    if version:
        screener.version = version
    return screener


def is_own_artifact(path: str | Path) -> bool:
    path = Path(path)
    if path.suffix != ".joblib" or not path.exists():
        return False
    try:
        import joblib

        payload = joblib.load(path)
    except Exception:
        return False
    return isinstance(payload, dict) and payload.get("format") == ARTIFACT_FORMAT


# ---- evaluation --------------------------------------------------------------------------------
def evaluate(screener, examples: list[Example]) -> dict:
    """Per label group: precision/recall/F1 per value, and a confusion matrix (single-valued)."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    from jidu.screening.engine import predict_many

    preds = predict_many(screener, [(e.title, e.content) for e in examples])
    report: dict[str, dict] = {}
    for name in ("enforcement", "kind", "field", "tourism"):
        pairs = [(getattr(e, name), getattr(p, name) if p else None) for e, p in zip(examples, preds, strict=True)
                 if getattr(e, name) not in (None, "")]
        if not pairs:
            continue
        truth = [str(t) for t, _ in pairs]
        guess = [str(g) if g not in (None, "") else "（无）" for _, g in pairs]
        labels = sorted(set(truth) | set(guess))
        p, r, f, s = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
        report[name] = {
            "n": len(pairs), "labels": labels,
            "per_label": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                                "support": int(s[i])} for i, lab in enumerate(labels)},
            "macro_f1": float(np.mean([f[i] for i, lab in enumerate(labels) if s[i] > 0] or [0.0])),
            "confusion": confusion_matrix(truth, guess, labels=labels).tolist(),
        }
    labelled = [(e, p) for e, p in zip(examples, preds, strict=True) if e.problems is not None]
    if labelled:
        names = sorted({n for e, _ in labelled for n in e.problems} |
                       {n for _, p in labelled if p for n, _ in p.problems})
        per = {}
        for n in names:
            truth = [n in e.problems for e, _ in labelled]
            guess = [bool(p) and any(pn == n and s >= 0.5 for pn, s in p.problems) for _, p in labelled]
            p_, r_, f_, s_ = precision_recall_fscore_support(truth, guess, labels=[True], zero_division=0)
            per[n] = {"precision": float(p_[0]), "recall": float(r_[0]), "f1": float(f_[0]), "support": int(s_[0])}
        report["problem"] = {"n": len(labelled), "per_label": per}
    return report
