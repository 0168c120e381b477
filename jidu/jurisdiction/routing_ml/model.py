"""Routing model: which department should handle an order, ranked with a confidence.

Pure Python + scikit-learn (no Django). The model knows nothing about particular departments: it
learns whatever labels it is given (department types such as 住建/教育 for the shipped artifact,
or a city's own department codes when retrained on the dispatcher's final choices).

* :class:`RoutingModel` -- character n-gram TF-IDF + multinomial logistic regression (softmax
  scores, i.e. ``predict`` returns probabilities that sum to 1 over all departments).
* :class:`KeywordBaseline` -- the keyword-only router the issue compares against: each
  department's most distinctive keywords (chi-square on the training texts), prediction by
  keyword hits. See docs/ROUTING_MODEL.md.

Artifacts are gzip-compressed pickles written by :meth:`RoutingModel.save`; load only artifacts
you produced yourself (pickle executes code on load).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

ARTIFACT_DIR = Path(__file__).resolve().parent / "artifacts"
DEFAULT_ARTIFACT = ARTIFACT_DIR / "routing_model.pkl.gz"
FORMAT = 1

# Defaults chosen by 5-fold cross-validation inside the training split (scripts/train_routing_model.py
# --tune reruns the search); see docs/ROUTING_MODEL.md.
DEFAULT_PARAMS = {"ngram_range": (1, 3), "C": 30.0, "max_features": 40000, "min_df": 2, "class_weight": "balanced"}
DEFAULT_BASELINE_PARAMS = {"n_keywords": 80, "weighting": "count"}

_MASKED_PLACE = re.compile(r"[A-Z][0-9]{0,2}(?=[市区县])")


def prepare(text: str) -> str:
    """Text normalisation shared by the model and the baseline: whitespace removed, lower-case,
    digits collapsed, masked place codes (A市/A3区/K9县 in the training data) reduced to one token
    so that the model learns 市/区/县 rather than particular masked places."""
    t = _MASKED_PLACE.sub("", re.sub(r"\s+", "", str(text or "")))
    return re.sub(r"\d+", "0", t.lower())


def _topk(labels: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
    k = max(1, min(k, len(labels)))
    order = np.argsort(-scores, kind="stable")[:k]
    return [(str(labels[i]), float(scores[i])) for i in order]


class RoutingModel:
    """Character n-gram TF-IDF + softmax logistic regression."""

    def __init__(self, **params):
        self.params = {**DEFAULT_PARAMS, **params}
        self.pipeline = None
        self.classes_: np.ndarray | None = None
        self.version: str = "untrained"
        self.metadata: dict = {}

    # ------------------------------------------------------------------ training
    def _make_pipeline(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline

        p = self.params
        vec = TfidfVectorizer(analyzer="char", ngram_range=tuple(p["ngram_range"]), min_df=p["min_df"],
                              max_features=p["max_features"], sublinear_tf=True, dtype=np.float32)
        clf = LogisticRegression(C=p["C"], max_iter=2000, class_weight=p["class_weight"])
        return Pipeline([("tfidf", vec), ("clf", clf)])

    def fit(self, texts: Sequence[str], departments: Sequence[str]) -> "RoutingModel":
        if len(texts) != len(departments):
            raise ValueError("texts and departments differ in length")
        if len(set(departments)) < 2:
            raise ValueError("need at least two departments to train a router")
        self.pipeline = self._make_pipeline()
        self.pipeline.fit([prepare(t) for t in texts], list(departments))
        self.classes_ = self.pipeline.named_steps["clf"].classes_
        digest = hashlib.sha1(json.dumps([list(map(str, departments)), len(texts)], ensure_ascii=False)
                              .encode("utf-8")).hexdigest()[:8]
        self.version = f"routing-{datetime.now(timezone.utc):%Y%m%d}-{digest}"
        return self

    # ------------------------------------------------------------------ prediction
    def _check(self):
        if self.pipeline is None:
            raise RuntimeError("RoutingModel is not trained; call fit() or RoutingModel.load()")

    @property
    def departments(self) -> list[str]:
        self._check()
        return [str(c) for c in self.classes_]

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        self._check()
        return self.pipeline.predict_proba([prepare(t) for t in texts])

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most likely departments for ``text`` with their softmax probability."""
        return self.predict_many([text], k=k)[0]

    def predict_many(self, texts: Iterable[str], k: int = 3) -> list[list[tuple[str, float]]]:
        proba = self.predict_proba(list(texts))
        return [_topk(self.classes_, row, k) for row in proba]

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path | None = None, metadata: dict | None = None) -> Path:
        self._check()
        path = Path(path) if path else DEFAULT_ARTIFACT
        path.parent.mkdir(parents=True, exist_ok=True)
        if metadata is not None:
            self.metadata = metadata
        vec = self.pipeline.named_steps["tfidf"]
        vec.stop_words_ = None  # the pruned-term set is only diagnostic and can be large
        payload = {"format": FORMAT, "version": self.version, "params": self.params,
                   "pipeline": self.pipeline, "metadata": self.metadata}
        with gzip.open(path, "wb", compresslevel=9) as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return path

    @classmethod
    def load(cls, path: str | Path | None = None) -> "RoutingModel":
        """Load an artifact written by :meth:`save` (default: the shipped one)."""
        path = Path(path) if path else DEFAULT_ARTIFACT
        with gzip.open(path, "rb") as fh:
            payload = pickle.load(fh)
        if payload.get("format") != FORMAT:
            raise ValueError(f"unsupported routing artifact format {payload.get('format')!r} in {path}")
        obj = cls(**payload["params"])
        obj.pipeline = payload["pipeline"]
        obj.classes_ = obj.pipeline.named_steps["clf"].classes_
        obj.version = payload["version"]
        obj.metadata = payload.get("metadata") or {}
        return obj


class KeywordBaseline:
    """Keyword-only router: the honest version of a hand-kept keyword table.

    Construction (training texts only): every character 2- to 4-gram occurring in >= ``min_df``
    training texts is a candidate keyword. For each department, candidates are ranked by the
    chi-square statistic of their presence against the department (one-vs-rest) and kept only
    when they are *over*-represented in it; the top ``n_keywords`` form its list. The
    department's own type name (e.g. 教育, 住建) is added to its list when it is a string.

    Prediction: a department's score is the sum, over its keywords present in the text, of the
    keyword's weight (``weighting='chi2'``: its chi-square normalised by the department's best
    keyword; ``'count'``: 1 per hit). Ties and texts without any hit fall back to the training
    prior (the most frequent department first). ``n_keywords`` and ``weighting`` are tuned by
    cross-validation inside the training split, like the model's hyper-parameters.
    """

    def __init__(self, n_keywords: int = 40, weighting: str = "chi2", min_df: int = 3,
                 ngram_range: tuple[int, int] = (2, 4)):
        self.n_keywords = n_keywords
        self.weighting = weighting
        self.min_df = min_df
        self.ngram_range = ngram_range
        self.keywords: dict[str, list[tuple[str, float]]] = {}
        self.prior: dict[str, float] = {}

    def fit(self, texts: Sequence[str], departments: Sequence[str]) -> "KeywordBaseline":
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.feature_selection import chi2

        docs = [prepare(t) for t in texts]
        y = np.asarray(departments)
        vec = CountVectorizer(analyzer="char", ngram_range=self.ngram_range, min_df=self.min_df, binary=True)
        X = vec.fit_transform(docs)
        terms = vec.get_feature_names_out()
        classes, counts = np.unique(y, return_counts=True)
        self.prior = {str(c): float(n) / len(y) for c, n in zip(classes, counts)}
        df_all = np.asarray(X.sum(axis=0)).ravel()
        self.keywords = {}
        for c in classes:
            mask = y == c
            score, _ = chi2(X, mask)
            score = np.nan_to_num(score)
            df_in = np.asarray(X[mask].sum(axis=0)).ravel()
            over = df_in / mask.sum() > (df_all - df_in) / max(1, (~mask).sum())
            score = np.where(over, score, 0.0)
            order = np.argsort(-score, kind="stable")[: self.n_keywords]
            kws = [(str(terms[i]), float(score[i])) for i in order if score[i] > 0]
            top = kws[0][1] if kws else 1.0
            kws = [(w, s / top) for w, s in kws]
            name = str(c)
            if 1 < len(name) <= 6 and name not in {w for w, _ in kws}:
                kws.append((prepare(name), 1.0))
            self.keywords[name] = kws
        return self

    @property
    def departments(self) -> list[str]:
        return sorted(self.prior, key=lambda d: -self.prior[d])

    def scores(self, text: str) -> dict[str, float]:
        t = prepare(text)
        out = {}
        for dept, kws in self.keywords.items():
            s = 0.0
            for w, weight in kws:
                if w in t:
                    s += weight if self.weighting == "chi2" else 1.0
            out[dept] = s
        return out

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        sc = self.scores(text)
        ranked = sorted(sc, key=lambda d: (-sc[d], -self.prior[d], d))[: max(1, k)]
        total = sum(sc.values())
        return [(d, (sc[d] / total) if total else self.prior[d]) for d in ranked]

    def predict_many(self, texts: Iterable[str], k: int = 3) -> list[list[tuple[str, float]]]:
        return [self.predict(t, k=k) for t in texts]


def topk_accuracy(predictions: Sequence[Sequence[tuple[str, float]]], truth: Sequence[str], k: int) -> float:
    if not truth:
        return float("nan")
    hits = sum(1 for p, y in zip(predictions, truth) if y in [d for d, _ in p[:k]])
    return hits / len(truth)
