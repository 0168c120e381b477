"""Screening classifier: is an order about administrative law enforcement, which kind, field,
problem types, tourism -- with scores and a readable explanation. Pure Python (no Django).

Model
-----
One shared feature space, one linear head per label group:

* features (:class:`Featurizer`, built from scikit-learn vectorisers): character 1-3-gram
  TF-IDF of the normalised text + TF-IDF of dictionary words (a word list taken from the
  jieba-tokenised training corpus, matched as substrings with an Aho-Corasick automaton, so
  no jieba dictionary has to be loaded at run time) + scaled counts of the cue-word groups of
  :mod:`.lexicon`;
* heads (:class:`Head`): ``enforcement`` (binary), ``kind`` (binary: conduct vs violation),
  ``field`` (multiclass; the guide's 15 fields by default -- any label set can be trained
  through the same code, e.g. the 7 taidi2020c labels), ``problems`` (multilabel, 17),
  ``tourism`` (binary), plus optional extra multiclass heads (the default artifact ships
  ``taidi_field``, the 7 first-level labels).

For training, every head is ``Pipeline([featurizer, linear estimator])`` (see
:mod:`.training`); for screening the heads' weights are fused into one sparse matrix, so a
batch of texts costs one vectorisation and one sparse product.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from . import text as textmod
from .lexicon import Lexicon

ARTIFACT_DIR = Path(__file__).resolve().parent / "artifacts"
DEFAULT_ARTIFACT = ARTIFACT_DIR / "screener.pkl.gz"
DEFAULT_METADATA = ARTIFACT_DIR / "screener.json"

KIND_VIOLATION = "violation"
KIND_CONDUCT = "conduct"
KIND_ZH = {KIND_VIOLATION: "举报违法行为", KIND_CONDUCT: "投诉执法行为"}
FALLBACK_FIELD = "其他"

__all__ = ["ScreeningResult", "Screener", "Featurizer", "Head", "WordMatcher", "DEFAULT_ARTIFACT"]


# ------------------------------------------------------------------------------------------
# Features
# ------------------------------------------------------------------------------------------
class WordMatcher:
    """Callable analyzer: all dictionary words occurring in a text (substring match, overlapping
    matches kept). Picklable; the automaton is rebuilt on unpickling from the word list."""

    def __init__(self, words: Iterable[str]):
        self.words = sorted({w for w in words if w})
        self._build()

    def _build(self) -> None:
        try:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for w in self.words:
                auto.add_word(w, w)
            if self.words:
                auto.make_automaton()
            self._auto = auto if self.words else None
        except ImportError:  # pragma: no cover - pyahocorasick comes with cpca
            self._auto = None
            self._set = frozenset(self.words)
            self._maxlen = max((len(w) for w in self.words), default=0)

    def __getstate__(self):
        return {"words": self.words}

    def __setstate__(self, state):
        self.words = state["words"]
        self._build()

    def __call__(self, doc: str) -> list[str]:
        if not doc:
            return []
        if self._auto is not None:
            return [w for _, w in self._auto.iter(doc)]
        if getattr(self, "_auto", None) is None and hasattr(self, "_set"):
            out = []
            for i in range(len(doc)):
                for n in range(2, self._maxlen + 1):
                    w = doc[i:i + n]
                    if w in self._set:
                        out.append(w)
            return out
        return []


class Featurizer:
    """Shared feature space: char n-gram TF-IDF | word TF-IDF | scaled cue-group counts."""

    def __init__(self, char_ngram=(1, 3), max_char_features=150_000, min_df=2, lexicon_weight=0.1,
                 words: Iterable[str] = (), opening_chars: int = 0):
        self.char_ngram = tuple(char_ngram)
        self.max_char_features = max_char_features
        self.min_df = min_df
        self.lexicon_weight = lexicon_weight
        self.words = list(words)
        #: > 0: an extra "opening" block, char 1-3-gram TF-IDF of the first ``opening_chars``
        #: characters of the (whitespace-free) model text -- the message title and the start of
        #: the body. Appended after the cue-group block (names ``o:``); heads that should not use
        #: it are trained with its columns zeroed (:meth:`block_mask`)
        self.opening_chars = int(opening_chars)
        self.char_vec = None
        self.word_vec = None
        self.open_vec = None
        self.lexicon = Lexicon()
        self.lex_scale = None
        self.feature_names_: np.ndarray | None = None

    # sklearn-style API so it can sit in a Pipeline
    def get_params(self, deep=True):
        return {"char_ngram": self.char_ngram, "max_char_features": self.max_char_features, "min_df": self.min_df,
                "lexicon_weight": self.lexicon_weight, "words": self.words, "opening_chars": self.opening_chars}

    def set_params(self, **params):
        for k, v in params.items():
            setattr(self, k, v)
        return self

    def fit(self, texts: Sequence[str], y=None, opening_fit_texts: Sequence[str] | None = None):
        """``opening_fit_texts``: fit the opening block's vocabulary / idf on these texts instead
        of ``texts`` (the shipped model: on the taidi2020c texts, the only rows of the one head
        that uses the block; n-grams seen elsewhere only would get no weight anyway)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.char_vec = TfidfVectorizer(analyzer="char", ngram_range=self.char_ngram, sublinear_tf=True,
                                        min_df=self.min_df, max_features=self.max_char_features, dtype=np.float32)
        self.char_vec.fit(texts)
        if self.words:
            self.word_vec = TfidfVectorizer(analyzer=WordMatcher(self.words), sublinear_tf=True,
                                            min_df=self.min_df, dtype=np.float32)
            self.word_vec.fit(texts)
        if self.opening_chars > 0:
            self.open_vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                            min_df=self.min_df, dtype=np.float32)
            self.open_vec.fit(opening_texts(texts if opening_fit_texts is None else list(opening_fit_texts),
                                            self.opening_chars))
            self.open_vec.stop_words_ = None  # the pruned-term set is only diagnostic and can be large
        else:
            self.open_vec = None
        lex = self.lexicon.matrix(texts)
        std = lex.std(axis=0)
        std[std < 1e-6] = 1.0
        self.lex_scale = (self.lexicon_weight / std).astype(np.float32)
        names = [f"c:{t}" for t in self.char_vec.get_feature_names_out()]
        if self.word_vec is not None:
            names += [f"w:{t}" for t in self.word_vec.get_feature_names_out()]
        names += [f"g:{g}" for g in self.lexicon.names]
        if self.open_vec is not None:
            names += [f"o:{t}" for t in self.open_vec.get_feature_names_out()]
        self.feature_names_ = np.array(names, dtype=object)
        return self

    def fit_transform(self, texts, y=None):
        return self.fit(texts).transform(texts)

    @property
    def n_features(self) -> int:
        return len(self.feature_names_)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        texts = list(texts)
        self.warm_up()
        rows, cols = self._char_index.lookup([_WS.sub(" ", t.lower()) for t in texts])
        parts = [_tfidf_from_counts(self.char_vec, rows, cols, len(texts))]
        if self.word_vec is not None:
            parts.append(_fast_tfidf(self.word_vec, [self.word_vec.analyzer(t) for t in texts]))
        lex = self.lexicon.matrix(texts) * self.lex_scale
        parts.append(sp.csr_matrix(lex))
        if self.open_vec is not None:
            rows, cols = self._open_index.lookup([t.lower() for t in opening_texts(texts, self.opening_chars)])
            parts.append(_tfidf_from_counts(self.open_vec, rows, cols, len(texts)))
        return sp.hstack(parts, format="csr", dtype=np.float32)

    def block_slices(self) -> dict[str, slice]:
        """Column ranges of the blocks: ``char``, ``word``, ``lex`` (cue groups), ``opening``."""
        a = self.n_char
        b = a + self.n_word
        c = b + len(self.lexicon.names)
        return {"char": slice(0, a), "word": slice(a, b), "lex": slice(b, c), "opening": slice(c, self.n_features)}

    def block_mask(self, blocks: Iterable[str]) -> np.ndarray:
        """float32 0/1 vector over the columns: 1 on the named blocks."""
        m = np.zeros(self.n_features, np.float32)
        slices = self.block_slices()
        for name in blocks:
            m[slices[name]] = 1.0
        return m

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_char_index", None)  # rebuilt on first use (~0.1 s)
        state.pop("_open_index", None)
        return state

    def __setstate__(self, state):
        state.setdefault("opening_chars", 0)  # artifacts from before the opening block
        state.setdefault("open_vec", None)
        self.__dict__.update(state)

    def warm_up(self) -> None:
        """Build the n-gram look-up indexes (not pickled; transform() builds them on first use)."""
        if self.__dict__.get("_char_index") is None and self.char_vec is not None:
            self._char_index = CharNgramIndex(self.char_vec.vocabulary_, self.char_ngram)
        if self.__dict__.get("_open_index") is None and self.open_vec is not None:
            self._open_index = CharNgramIndex(self.open_vec.vocabulary_, (1, 3))

    @property
    def n_char(self) -> int:
        return len(self.char_vec.vocabulary_)

    @property
    def n_word(self) -> int:
        return len(self.word_vec.vocabulary_) if self.word_vec is not None else 0


_WS = re.compile(r"\s\s+")
_ANY_WS = re.compile(r"\s+")


def opening_texts(texts: Sequence[str], n: int) -> list[str]:
    """The first ``n`` characters of each text once whitespace is removed (the opening block's
    input: in model texts the message title comes first)."""
    out = []
    for t in texts:
        head = t[:n]
        # model texts carry no whitespace: then the opening is just the first n characters
        out.append(_ANY_WS.sub("", t)[:n] if _ANY_WS.search(head) else head)
    return out


def _char_ngrams(text: str, ngram_range) -> list[str]:
    """Same n-grams as scikit-learn's ``analyzer="char"`` (after its lowercasing)."""
    text = _WS.sub(" ", text)
    n_len = len(text)
    lo, hi = ngram_range
    out: list[str] = []
    for n in range(lo, min(hi + 1, n_len + 1)):
        out += [text[i:i + n] for i in range(n_len - n + 1)]
    return out


class PackedKeyTable:
    """A read-only hash table from packed n-gram keys (int64 >= 0) to column numbers, looked up
    for a whole array of keys at once: open addressing with linear probing, Fibonacci hashing,
    at most a third full, so most look-ups take one probe. Replaces a binary search of the sorted
    vocabulary (``np.searchsorted``: ~17 dependent steps per key), the largest single cost of
    featurising a batch."""

    _EMPTY = np.uint64(0xFFFF_FFFF_FFFF_FFFF)  # no key: packed n-grams use at most 63 bits
    _MULT = np.uint64(0x9E37_79B9_7F4A_7C15)

    def __init__(self, keys: np.ndarray, values: np.ndarray):
        keys = np.asarray(keys, np.int64).view(np.uint64)
        values = np.asarray(values, np.int64)
        bits = max(4, int(len(keys) * 3).bit_length())
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.keys = np.full(self.mask + 1, self._EMPTY, np.uint64)
        self.values = np.full(self.mask + 1, -1, np.int64)
        pending = np.arange(len(keys))
        slot = self._home(keys)
        while pending.size:  # each round: every free slot asked for takes one of its askers
            free = self.keys[slot] == self._EMPTY
            taken, first = np.unique(slot[free], return_index=True)
            winners = pending[free][first]
            self.keys[taken] = keys[winners]
            self.values[taken] = values[winners]
            rest = np.ones(len(pending), bool)
            rest[np.flatnonzero(free)[first]] = False
            pending, slot = pending[rest], (slot[rest] + 1) & self.mask

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * self._MULT) >> self.shift).astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key (int64 array), -1 where the key is absent."""
        keys = np.asarray(keys, np.int64).view(np.uint64)
        out = np.full(len(keys), -1, np.int64)
        pending = np.arange(len(keys))
        slot = self._home(keys)
        while pending.size:
            stored = self.keys[slot]
            hit = stored == keys[pending]
            out[pending[hit]] = self.values[slot[hit]]
            more = ~hit & (stored != self._EMPTY)
            pending, slot = pending[more], (slot[more] + 1) & self.mask
        return out


class CharNgramIndex:
    """Vectorised character n-gram look-up: every n-gram of up to 3 characters is packed into
    one int64 (21 bits per code point) and looked up in a :class:`PackedKeyTable` per length.
    Gives exactly the counts of scikit-learn's ``analyzer="char"`` (the texts must already be
    lower-cased and whitespace-collapsed as scikit-learn does)."""

    def __init__(self, vocabulary: dict[str, int], ngram_range=(1, 3)):
        self.lo, self.hi = ngram_range
        if self.hi > 3:
            raise ValueError("CharNgramIndex packs at most 3 characters")
        keys: dict[int, list[int]] = {n: [] for n in range(self.lo, self.hi + 1)}
        idx: dict[int, list[int]] = {n: [] for n in range(self.lo, self.hi + 1)}
        for term, j in vocabulary.items():
            n = len(term)
            if n not in keys:
                continue
            k = 0
            for ch in term:
                k = (k << 21) | ord(ch)
            keys[n].append(k)
            idx[n].append(j)
        self.tables = {n: PackedKeyTable(np.asarray(keys[n], np.int64), np.asarray(idx[n], np.int64))
                       for n in keys if keys[n]}

    def lookup(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) pairs of every in-vocabulary n-gram occurrence."""
        lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        total = int(lens.sum())
        if total == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4").astype(np.int64)
        doc = np.repeat(np.arange(len(texts), dtype=np.int64), lens)
        ends = np.repeat(np.cumsum(lens), lens)  # exclusive end of each position's document
        pos = np.arange(total, dtype=np.int64)
        rows, cols = [], []
        for n in range(self.lo, self.hi + 1):
            m = total - n + 1
            table = self.tables.get(n)
            if m <= 0 or table is None:
                continue
            key = cps[:m].copy()
            for k in range(1, n):
                key = (key << 21) | cps[k:k + m]
            ok = pos[:m] + n <= ends[:m]
            col = table.get(key[ok])
            hit = col >= 0
            rows.append(doc[:m][ok][hit])
            cols.append(col[hit])
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(rows), np.concatenate(cols)


def _fast_tfidf(vec, token_lists: list[list[str]]) -> sp.csr_matrix:
    """``vec.transform`` for a fitted sublinear-tf, l2-normalised TfidfVectorizer given the
    documents' tokens: C-level dictionary look-ups instead of scikit-learn's per-token Python
    loop. Same matrix; checked against ``vec.transform`` in the tests."""
    from itertools import chain, repeat

    vocab = vec.vocabulary_
    lens = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    total = int(lens.sum())
    idx = np.fromiter(map(vocab.get, chain.from_iterable(token_lists), repeat(-1)), dtype=np.int64, count=total)
    rows = np.repeat(np.arange(len(token_lists), dtype=np.int64), lens)
    keep = idx >= 0
    return _tfidf_from_counts(vec, rows[keep], idx[keep], len(token_lists))


def _tfidf_from_counts(vec, rows: np.ndarray, cols: np.ndarray, n_docs: int) -> sp.csr_matrix:
    """The TF-IDF rows of a fitted TfidfVectorizer from (row, column) occurrence pairs: counts,
    sublinear tf, idf, l2 norm -- built straight into CSR arrays (np.unique gives the counts in
    CSR order), which is cheaper per call than going through a COO matrix."""
    n_feat = len(vec.vocabulary_)
    key, counts = np.unique(np.asarray(rows, np.int64) * n_feat + np.asarray(cols, np.int64), return_counts=True)
    r = key // n_feat
    c = key - r * n_feat
    data = counts.astype(np.float64)
    if vec.sublinear_tf:
        np.log(data, data)
        data += 1.0
    if vec.use_idf:
        data *= vec.idf_[c]
    if vec.norm == "l2":
        norms = np.sqrt(np.bincount(r, weights=data * data, minlength=n_docs))
        norms[norms == 0] = 1.0
        data /= norms[r]
    indptr = np.zeros(n_docs + 1, np.int64)
    np.cumsum(np.bincount(r, minlength=n_docs), out=indptr[1:])
    return sp.csr_matrix((data.astype(np.float32), c.astype(np.int32), indptr.astype(np.int32)),
                         shape=(n_docs, n_feat))


# ------------------------------------------------------------------------------------------
# Heads
# ------------------------------------------------------------------------------------------
@dataclass
class Head:
    """A linear head: ``scores = f(X @ coef.T + intercept)``.

    type ``binary``: one column, sigmoid, ``labels = (negative, positive)``;
    ``multiclass``: softmax(temperature * z) over ``labels``;
    ``multilabel``: independent sigmoids, one per label, ``thresholds`` per label.
    """

    name: str
    type: str
    labels: tuple[str, ...]
    coef: sp.csr_matrix  # (n_outputs, n_features)
    intercept: np.ndarray  # (n_outputs,)
    temperature: float = 1.0
    thresholds: np.ndarray | None = None
    info: dict = field(default_factory=dict)

    @property
    def n_outputs(self) -> int:
        return self.coef.shape[0]

    def activate(self, z: np.ndarray) -> np.ndarray:
        if self.type == "multiclass":
            z = z * self.temperature
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            return e / e.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-np.clip(z * self.temperature, -40, 40)))


def _round(x: float) -> float:
    return float(round(float(x), 4))


@dataclass
class ScreeningResult:
    """What the screener says about one order."""

    enforcement: bool
    enforcement_score: float
    kind: str | None
    kind_score: float | None
    field: str
    field_score: float
    field_top3: list[tuple[str, float]]
    problems: list[tuple[str, float]]
    tourism: bool
    tourism_score: float
    too_short: bool
    explanation: str
    evidence: list[str] = field(default_factory=list)
    model_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: the cut on ``enforcement_score`` (P(yes)) that gave ``enforcement`` (``>=``)
    enforcement_threshold: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["field_top3"] = [[label, score] for label, score in self.field_top3]
        d["problems"] = [[label, score] for label, score in self.problems]
        d["extra"] = json.loads(json.dumps(self.extra, ensure_ascii=False))
        return d


# ------------------------------------------------------------------------------------------
# Screener
# ------------------------------------------------------------------------------------------
_LOAD_LOCK = threading.Lock()
_CACHE: dict[str, "Screener"] = {}


class Screener:
    """A trained screening model. Build with :meth:`load`; thread-safe for screening."""

    #: problems whose score reaches this are listed (per-head thresholds may override)
    PROBLEM_THRESHOLD = 0.5
    #: default enforcement yes/no cut on P(yes); an artifact may carry its own, chosen at training
    #: time (``heads["enforcement"].info["threshold"]``, see :attr:`enforcement_threshold`)
    ENFORCEMENT_THRESHOLD = 0.5
    TOURISM_THRESHOLD = 0.5

    def __init__(self, featurizer: Featurizer, heads: dict[str, Head], version: str, metadata: dict | None = None):
        self.featurizer = featurizer
        self.heads = heads
        self.version = version
        self.metadata = metadata or {}
        self.path = ""
        self._fuse()

    @property
    def enforcement_threshold(self) -> float:
        """The cut on P(enforcement = yes) above which the screener says "yes" (``>=``): the
        artifact's own (chosen by cross-validation on the extra hand-labelled messages, see
        docs/MODEL_CARD.md) or :attr:`ENFORCEMENT_THRESHOLD`. ``enforcement_score`` stays P(yes)."""
        h = self.heads.get("enforcement")
        t = (h.info or {}).get("threshold") if h is not None else None
        return float(t) if t is not None else self.ENFORCEMENT_THRESHOLD

    # -- persistence ---------------------------------------------------------------------
    def _fuse(self) -> None:
        order = list(self.heads)
        self._slices: dict[str, slice] = {}
        start = 0
        for name in order:
            n = self.heads[name].n_outputs
            self._slices[name] = slice(start, start + n)
            start += n
        coef = sp.vstack([self.heads[n].coef for n in order], format="csr").astype(np.float32)
        self._w = coef.T.tocsr()  # (n_features, n_outputs)
        self._b = np.concatenate([self.heads[n].intercept for n in order]).astype(np.float32)
        self._names = self.featurizer.feature_names_
        # dense weight vectors of the heads used for evidence (column slicing a CSR per text is slow)
        self._evidence_w = {name: np.asarray(self._w[:, sl.start].todense()).ravel().astype(np.float32)
                            for name, sl in self._slices.items() if name == "enforcement"}

    def save(self, path: str | Path, metadata: dict | None = None) -> None:
        """Write a gzip-compressed pickle (fast to load: ~0.1 s to inflate and unpickle).
        Like any pickle, only load artifacts from trusted places (the repo, an admin upload)."""
        import gzip
        import pickle

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": 1, "version": self.version, "featurizer": self.featurizer,
                   "heads": {n: _head_state(h) for n, h in self.heads.items()}, "metadata": metadata or self.metadata}
        path.write_bytes(gzip.compress(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL), 9, mtime=0))

    @classmethod
    def load(cls, path: str | Path | None = None, *, cache: bool = True) -> "Screener":
        """Load a trained screener (default: the artifact shipped in ``ml/artifacts``)."""
        import gzip
        import pickle

        path = Path(path) if path else DEFAULT_ARTIFACT
        key = str(path.resolve())
        if cache and key in _CACHE:
            return _CACHE[key]
        with _LOAD_LOCK:
            if cache and key in _CACHE:
                return _CACHE[key]
            if not path.exists():
                raise FileNotFoundError(
                    f"screening model not found at {path}; train it with scripts/train_default_model.py")
            payload = pickle.loads(gzip.decompress(path.read_bytes()))
            heads = {n: _head_from_state(n, s) for n, s in payload["heads"].items()}
            textmod.warm_up()
            payload["featurizer"].warm_up()
            metadata = dict(payload.get("metadata") or {})
            # the sidecar JSON (written after training, with the benchmark figures) wins
            sidecar = path.with_name(path.name.split(".")[0] + ".json")
            if sidecar.exists():
                try:
                    metadata.update(json.loads(sidecar.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    pass
            obj = cls(payload["featurizer"], heads, payload["version"], metadata)
            obj.path = str(path)
            if cache:
                _CACHE[key] = obj
            return obj

    # -- scoring -------------------------------------------------------------------------
    def _scores(self, texts: list[str]):
        x = self.featurizer.transform(texts)
        z = (x @ self._w)
        z = z.toarray() if sp.issparse(z) else np.asarray(z)
        z = z + self._b
        out = {name: self.heads[name].activate(z[:, sl]) for name, sl in self._slices.items()}
        return x, z, out

    def predict_proba(self, texts: Sequence[str], head: str) -> np.ndarray:
        """Probabilities of one head for model-form texts (used by training/benchmarks)."""
        _, _, out = self._scores(list(texts))
        return out[head]

    def screen(self, title: str | None, content: str | None) -> ScreeningResult:
        return self.screen_many([(title, content)])[0]

    def screen_many(self, items: Iterable[tuple[str | None, str | None]]) -> list[ScreeningResult]:
        items = list(items)
        texts, short = [], []
        for item in items:
            title, content = (item if isinstance(item, (tuple, list)) and len(item) == 2 else ("", item))
            title = "" if title is None else str(title)
            content = "" if content is None else str(content)
            mt = textmod.model_text(title, content)
            texts.append(mt)
            short.append(textmod.model_text_too_short(mt))
        results: list[ScreeningResult | None] = [None] * len(items)
        idx = [i for i, s in enumerate(short) if not s]
        for i, s in enumerate(short):
            if s:
                results[i] = self._too_short_result()
        if idx:
            batch = [texts[i] for i in idx]
            x, z, out = self._scores(batch)
            for i, result in zip(idx, self._results(batch, x, out), strict=True):
                results[i] = result
        return results  # type: ignore[return-value]

    def _too_short_result(self) -> ScreeningResult:
        return ScreeningResult(
            enforcement=False, enforcement_score=0.0, kind=None, kind_score=None, field=FALLBACK_FIELD,
            field_score=0.0, field_top3=[], problems=[], tourism=False, tourism_score=0.0, too_short=True,
            explanation="文本内容过少，无法判断，请人工研判。", evidence=[], model_version=self.version, extra={},
            enforcement_threshold=self.enforcement_threshold)

    def _results(self, texts: list[str], x: sp.csr_matrix, out: dict[str, np.ndarray]) -> list[ScreeningResult]:
        """One result per row of ``x``: each head's arithmetic done once for the batch, the
        per-order part on plain Python values (per-row numpy calls cost more than the sums)."""
        n = len(texts)
        enf = out["enforcement"][:, 0].tolist() if "enforcement" in out else [0.0] * n
        # on the reported (rounded) score, so that enforcement == (enforcement_score >= threshold)
        threshold = self.enforcement_threshold
        enforcement = [_round(p) >= threshold for p in enf]
        kind_p = out["kind"][:, 0].tolist() if "kind" in out else None
        fh = self.heads.get("field")
        if fh is not None:
            top_idx = np.argsort(-out["field"], axis=1)[:, :3]
            top_val = np.take_along_axis(out["field"], top_idx, axis=1).tolist()
            top_idx = top_idx.tolist()
        ph = self.heads.get("problems")
        if ph is not None:
            pp = out["problems"]
            th = ph.thresholds if ph.thresholds is not None else np.full(len(ph.labels), self.PROBLEM_THRESHOLD)
            over = [np.flatnonzero(row).tolist() for row in pp >= th]
            best = pp.argmax(axis=1).tolist()
            pp_rows = pp.tolist()
            other = ph.labels.index("其他违法") if "其他违法" in ph.labels else None
        tour = out["tourism"][:, 0].tolist() if "tourism" in out else [0.0] * n
        extra_heads = [(name, h, out[name].argmax(axis=1).tolist(), out[name]) for name, h in self.heads.items()
                       if name not in ("enforcement", "kind", "field", "problems", "tourism")
                       and h.type == "multiclass"]
        evidence_all = (self._evidence_many(texts, x, "enforcement", enforcement) if "enforcement" in out
                        else [[] for _ in range(n)])
        results = []
        for j in range(n):
            enf_p, is_enf = enf[j], enforcement[j]
            kind = kind_score = None
            if is_enf and kind_p is not None:
                pc = kind_p[j]
                kind = KIND_CONDUCT if pc >= 0.5 else KIND_VIOLATION
                kind_score = _round(pc if kind == KIND_CONDUCT else 1 - pc)
            if fh is not None:
                top3 = [(fh.labels[k], _round(v)) for k, v in zip(top_idx[j], top_val[j])]
                field_label, field_score = top3[0]
            else:
                top3, field_label, field_score = [], FALLBACK_FIELD, 0.0
            problems: list[tuple[str, float]] = []
            if ph is not None and is_enf:
                row = pp_rows[j]
                problems = sorted(((ph.labels[k], _round(row[k])) for k in over[j]), key=lambda t: -t[1])
                if not problems:
                    k = best[j]
                    # an enforcement clue always names at least one problem type
                    if row[k] < 0.25 and other is not None:
                        k = other
                    problems = [(ph.labels[k], _round(row[k]))]
            tourism = tour[j] >= self.TOURISM_THRESHOLD
            extra = {name: [h.labels[a[j]], _round(p[j, a[j]])] for name, h, a, p in extra_heads}
            evidence = evidence_all[j]
            results.append(ScreeningResult(
                enforcement=is_enf, enforcement_score=_round(enf_p), kind=kind, kind_score=kind_score,
                field=field_label, field_score=field_score, field_top3=top3, problems=problems,
                tourism=tourism, tourism_score=_round(tour[j]), too_short=False,
                explanation=self._explain(is_enf, enf_p, kind, field_label, field_score, problems, tourism,
                                          evidence),
                evidence=evidence, model_version=self.version, extra=extra,
                enforcement_threshold=threshold))
        return results

    # -- explanation ---------------------------------------------------------------------
    def _evidence_many(self, texts: list[str], x: sp.csr_matrix, head: str, positive: list[bool],
                       top: int = 3) -> list[list[str]]:
        """For each row, the text spans whose features pushed ``head`` most towards its decision
        (``positive[j]``: the decision was yes). Contributions for the whole batch at once."""
        contrib_all = x.data * self._evidence_w[head][x.indices]
        indptr, names, lexicon = x.indptr, self._names, self.featurizer.lexicon
        found_all: list[list[str]] = []
        for j, text in enumerate(texts):
            lo, hi = indptr[j], indptr[j + 1]
            if hi <= lo:
                found_all.append([])
                continue
            contrib = contrib_all[lo:hi] if positive[j] else -contrib_all[lo:hi]
            n = min(len(contrib), 24)
            cand = np.argpartition(-contrib, n - 1)[:n]
            cand = cand[np.argsort(-contrib[cand])]
            spans: list[tuple[int, int, float]] = []
            lex_words: list[tuple[str, float]] = []
            lex_hits = None
            for name, value in zip(names[x.indices[lo:hi][cand]].tolist(), contrib[cand].tolist()):
                if value <= 0:
                    break
                kind_, token = name[0], name[2:]
                if kind_ == "g":
                    if lex_hits is None:
                        lex_hits = lexicon.group_words(text)
                    for word in lex_hits.get(token, [])[:2]:
                        lex_words.append((word, value))
                    continue
                if len(token) < 2:
                    continue
                pos = text.find(token)
                if pos >= 0:
                    spans.append((pos, pos + len(token), value))
            # merge overlapping / touching spans into phrases
            spans.sort()
            merged: list[list] = []
            for s, e, c in spans:
                if merged and s <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], e)
                    merged[-1][2] += c
                else:
                    merged.append([s, e, c])
            phrases = [(text[s:e][:10], c) for s, e, c in merged]
            phrases += lex_words
            phrases.sort(key=lambda t: -t[1])
            found: list[str] = []
            for p, _ in phrases:
                if p and not any(p in q or q in p for q in found):
                    found.append(p)
                if len(found) >= top:
                    break
            found_all.append(found)
        return found_all

    @staticmethod
    def _explain(enforcement, enf_p, kind, field_label, field_score, problems, tourism, evidence) -> str:
        basis = "".join(f"‘{e}’" for e in evidence) or "无明显关键词"
        if enforcement:
            head = f"涉行政执法（{KIND_ZH.get(kind, '')}）" if kind else "涉行政执法"
            prob = "、".join(p for p, _ in problems[:3])
            parts = [head, f"依据：{basis}"]
            if prob:
                parts.append(f"问题类型：{prob}")
            parts.append(f"领域：{field_label}")
            if tourism:
                parts.append("涉旅")
            parts.append(f"模型置信度{enf_p:.2f}")
        else:
            parts = ["非行政执法类（咨询、求助、建议或公共服务诉求）", f"依据：{basis}", f"领域：{field_label}"]
            if tourism:
                parts.append("涉旅")
            parts.append(f"模型置信度{1 - enf_p:.2f}")
        return "；".join(parts)


def _head_state(h: Head) -> dict:
    return {"type": h.type, "labels": list(h.labels), "coef": h.coef.astype(np.float32).tocsr(),
            "intercept": np.asarray(h.intercept, np.float32), "temperature": float(h.temperature),
            "thresholds": None if h.thresholds is None else np.asarray(h.thresholds, np.float32), "info": h.info}


def _head_from_state(name: str, s: dict) -> Head:
    return Head(name=name, type=s["type"], labels=tuple(s["labels"]), coef=s["coef"], intercept=s["intercept"],
                temperature=s.get("temperature", 1.0), thresholds=s.get("thresholds"), info=s.get("info") or {})


def load_metadata(path: str | Path | None = None) -> dict:
    p = Path(path) if path else DEFAULT_METADATA
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def timed_load(path: str | Path | None = None) -> tuple["Screener", float]:
    """Load without the cache and return (screener, seconds) -- for the benchmark."""
    t0 = time.perf_counter()
    s = Screener.load(path, cache=False)
    return s, time.perf_counter() - t0


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))
