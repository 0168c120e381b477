"""Readers for the shared training / evaluation data (../shared/data) -- pure Python.

Nothing here is shipped data: the texts are read at training / benchmark time only. See
``../shared/data/README.md`` for the sources (TipDM 2020 problem C message-board texts,
ChnSentiCorp hotel reviews) and ``docs/MODEL_CARD.md`` for how they are used.

Splits are deterministic: they depend on a SHA-1 of the row's stable id, never on a random
generator, so every machine gets the same split.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .text import model_text

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"

# taidi2020c train_raw: rows whose hash bucket (0..9) is in a fold's pair are that fold's test.
TAIDI_FOLDS: tuple[tuple[int, int], ...] = ((0, 1), (2, 3), (4, 5), (6, 7), (8, 9))
# Tokenised rows sharing >= this fraction of their in-token character bigrams with a raw row
# are the same message (the tokenised file is a jieba-tokenised copy of the same source).
TWIN_CONTAINMENT = 0.6


def hash_bucket(key: str, buckets: int = 10) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % buckets


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@dataclass
class TaidiData:
    """taidi2020c labelled rows, already in model-text form."""

    raw_uid: list[str]
    raw_text: list[str]
    raw_label: list[str]
    raw_bucket: np.ndarray
    tok_text: list[str]
    tok_words: list[list[str]]  # jieba tokens of the tokenised rows (word vocabulary source)
    tok_label: list[str]
    tok_twin_of: np.ndarray  # index into raw rows of the best-matching raw row
    tok_twin_score: np.ndarray  # containment score of that match

    def split(self, test_buckets: tuple[int, ...]) -> tuple[list[str], list[str], list[list[str]], list[str], list[str]]:
        """(train_texts, train_labels, train_token_lists, test_texts, test_labels).

        Test = raw rows whose bucket is in ``test_buckets``. Training = the other raw rows +
        tokenised rows that are *not* a copy of a test row (twins and exact duplicates are
        removed so that the test messages are truly unseen)."""
        test_mask = np.isin(self.raw_bucket, test_buckets)
        tok_keep = ~((self.tok_twin_score >= TWIN_CONTAINMENT) & test_mask[self.tok_twin_of])
        tr_idx = np.where(~test_mask)[0]
        te_idx = np.where(test_mask)[0]
        keep = np.where(tok_keep)[0]
        test_texts = {self.raw_text[i] for i in te_idx}
        # exact duplicates of a test text (the raw file has a few re-posted messages) are dropped too
        tr_idx = np.array([i for i in tr_idx if self.raw_text[i] not in test_texts], dtype=int)
        keep = np.array([i for i in keep if self.tok_text[i] not in test_texts], dtype=int)
        texts = [self.raw_text[i] for i in tr_idx] + [self.tok_text[i] for i in keep]
        labels = [self.raw_label[i] for i in tr_idx] + [self.tok_label[i] for i in keep]
        words = [self.tok_words[i] for i in keep]
        return (texts, labels, words, [self.raw_text[i] for i in te_idx], [self.raw_label[i] for i in te_idx])

    def all(self) -> tuple[list[str], list[str], list[list[str]]]:
        return self.raw_text + self.tok_text, self.raw_label + self.tok_label, list(self.tok_words)


def _bigrams_of_tokens(tokens: list[str]) -> set[str]:
    out: set[str] = set()
    for w in tokens:
        for i in range(len(w) - 1):
            out.add(w[i:i + 2])
    return out


def _find_twins(raw_texts: list[str], tok_words: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """For every tokenised row, the raw row sharing most of its in-token bigrams."""
    import scipy.sparse as sp

    vocab: dict[str, int] = {}

    def encode(sets):
        rows, cols = [], []
        for r, s in enumerate(sets):
            for b in s:
                rows.append(r)
                cols.append(vocab.setdefault(b, len(vocab)))
        return rows, cols

    raw_sets = [{t[i:i + 2] for i in range(len(t) - 1)} for t in raw_texts]
    tok_sets = [_bigrams_of_tokens(w) for w in tok_words]
    r1, c1 = encode(raw_sets)
    r2, c2 = encode(tok_sets)
    n = len(vocab)
    a = sp.csr_matrix((np.ones(len(r1), np.float32), (r1, c1)), shape=(len(raw_sets), n))
    b = sp.csr_matrix((np.ones(len(r2), np.float32), (r2, c2)), shape=(len(tok_sets), n))
    shared = (b @ a.T).tocsr()
    sizes = np.array([max(len(s), 1) for s in tok_sets], np.float32)
    shared = (sp.diags(1.0 / sizes) @ shared).tocsr()
    best = np.asarray(shared.argmax(axis=1)).ravel()
    score = np.asarray(shared.max(axis=1).todense()).ravel()
    return best, score


def load_taidi(data_dir: Path = DEFAULT_DATA_DIR) -> TaidiData:
    d = Path(data_dir) / "taidi2020c"
    raw = _read_csv(d / "train_raw.csv")
    tok = _read_csv(d / "train_tokenized.csv")
    raw_text = [model_text("", r.get("text") or ((r.get("留言主题") or "") + (r.get("留言详情") or ""))) for r in raw]
    tok_words = [(r.get("tokens") or "").split() for r in tok]
    tok_text = [model_text("", "".join(w)) for w in tok_words]
    twin_of, twin_score = _find_twins(raw_text, tok_words)
    return TaidiData(
        raw_uid=[r["uid"] for r in raw],
        raw_text=raw_text,
        raw_label=[r["label"] for r in raw],
        raw_bucket=np.array([hash_bucket(r["uid"]) for r in raw]),
        tok_text=tok_text,
        tok_words=tok_words,
        tok_label=[r["label"] for r in tok],
        tok_twin_of=twin_of,
        tok_twin_score=twin_score,
    )


@dataclass
class DevSet:
    """enforcement-labels/dev_300 joined with its labels."""

    ids: list[int]
    texts: list[str]
    enforcement: np.ndarray  # int 0/1
    kind: list[str | None]
    tourism: np.ndarray  # int 0/1
    field: list[str]
    problems: list[list[str]]
    sure: list[str]
    titles: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)


def load_dev300(data_dir: Path = DEFAULT_DATA_DIR) -> DevSet:
    d = Path(data_dir) / "enforcement-labels"
    rows = _read_csv(d / "dev_300.csv")
    labels = {}
    with open(d / "dev_300.labels.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                obj = json.loads(line)
                labels[int(obj["留言编号"])] = obj
    ids, titles, contents, texts, lab = [], [], [], [], []
    for r in rows:
        i = int(r["留言编号"])
        if i not in labels:
            continue
        ids.append(i)
        titles.append(r.get("留言主题") or "")
        contents.append(r.get("留言详情") or "")
        texts.append(model_text(titles[-1], contents[-1]))
        lab.append(labels[i])
    return DevSet(
        ids=ids,
        texts=texts,
        enforcement=np.array([x["enforcement"] == "yes" for x in lab], dtype=int),
        kind=[x.get("kind") for x in lab],
        tourism=np.array([x.get("tourism") == "yes" for x in lab], dtype=int),
        field=[x["field"] for x in lab],
        problems=[list(x.get("problems") or []) for x in lab],
        sure=[x.get("sure") or "high" for x in lab],
        titles=titles,
        contents=contents,
    )


@dataclass
class HotelReviews:
    texts: list[str]
    label: np.ndarray  # 1 positive review, 0 negative review
    bucket: np.ndarray


def load_hotel(data_dir: Path = DEFAULT_DATA_DIR) -> HotelReviews:
    rows = _read_csv(Path(data_dir) / "hotel-reviews" / "ChnSentiCorp_htl_all.csv")
    rows = [r for r in rows if (r.get("review") or "").strip()]
    texts = [model_text("", r["review"]) for r in rows]
    return HotelReviews(
        texts=texts,
        label=np.array([int(r["label"]) for r in rows]),
        # the file has no id column: the bucket hashes the review text itself
        bucket=np.array([hash_bucket(r["review"]) for r in rows]),
    )


def load_unlabeled(data_dir: Path = DEFAULT_DATA_DIR) -> list[str]:
    """The three unlabelled taidi2020c message files, model-text form, de-duplicated."""
    d = Path(data_dir) / "taidi2020c"
    out, seen = [], set()
    for name in ("unlabeled_attachment3_with_votes.csv", "unlabeled_attachment4_with_replies.csv",
                 "unlabeled_test_stage.csv"):
        p = d / name
        if not p.exists():
            continue
        for r in _read_csv(p):
            t = model_text(r.get("留言主题") or "", r.get("留言详情") or "")
            if t and t not in seen:
                seen.add(t)
                out.append(t)
    return out


def data_available(data_dir: Path = DEFAULT_DATA_DIR) -> bool:
    d = Path(data_dir)
    return (d / "taidi2020c" / "train_raw.csv").exists() and (d / "enforcement-labels" / "dev_300.csv").exists()
