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
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .text import model_text

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"
# Label-only files shipped in the repo (ids + labels, no message texts): extra hand-labelled
# messages of the unlabelled taidi2020c files, joined with their texts from DEFAULT_DATA_DIR at
# training / benchmark time. See labels/README.md.
LABELS_DIR = Path(__file__).resolve().parent / "labels"
EXTRA_SOURCES = ("unlabeled_test_stage.csv", "unlabeled_attachment3_with_votes.csv",
                 "unlabeled_attachment4_with_replies.csv")
LABEL_KEYS = ("source", "留言编号", "enforcement", "kind", "tourism", "field", "problems", "sure", "why")

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
    sources: list[str] = field(default_factory=list)  # file the message comes from (extra sets)

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, idx: Sequence[int]) -> "DevSet":
        idx = [int(i) for i in idx]
        pick = lambda xs: [xs[i] for i in idx] if xs else []  # noqa: E731
        return DevSet(ids=pick(self.ids), texts=pick(self.texts), enforcement=self.enforcement[idx],
                      kind=pick(self.kind), tourism=self.tourism[idx], field=pick(self.field),
                      problems=pick(self.problems), sure=pick(self.sure), titles=pick(self.titles),
                      contents=pick(self.contents), sources=pick(self.sources))

    @staticmethod
    def concat(sets: Sequence["DevSet"]) -> "DevSet":
        def cat(name):
            return [x for s in sets for x in (getattr(s, name) or [""] * len(s))]

        return DevSet(ids=cat("ids"), texts=cat("texts"),
                      enforcement=np.concatenate([s.enforcement for s in sets]).astype(int),
                      kind=cat("kind"), tourism=np.concatenate([s.tourism for s in sets]).astype(int),
                      field=cat("field"), problems=cat("problems"), sure=cat("sure"), titles=cat("titles"),
                      contents=cat("contents"), sources=cat("sources"))


def _labelled_set(ids, titles, contents, lab, sources=None) -> DevSet:
    return DevSet(
        ids=list(ids),
        texts=[model_text(t, c) for t, c in zip(titles, contents)],
        enforcement=np.array([x["enforcement"] == "yes" for x in lab], dtype=int).reshape(-1),
        kind=[x.get("kind") for x in lab],
        tourism=np.array([x.get("tourism") == "yes" for x in lab], dtype=int).reshape(-1),
        field=[x["field"] for x in lab],
        problems=[list(x.get("problems") or []) for x in lab],
        sure=[x.get("sure") or "high" for x in lab],
        titles=list(titles),
        contents=list(contents),
        sources=list(sources or []),
    )


def load_dev300(data_dir: Path = DEFAULT_DATA_DIR) -> DevSet:
    d = Path(data_dir) / "enforcement-labels"
    rows = _read_csv(d / "dev_300.csv")
    labels = {}
    with open(d / "dev_300.labels.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                obj = json.loads(line)
                labels[int(obj["留言编号"])] = obj
    ids, titles, contents, lab = [], [], [], []
    for r in rows:
        i = int(r["留言编号"])
        if i not in labels:
            continue
        ids.append(i)
        titles.append(r.get("留言主题") or "")
        contents.append(r.get("留言详情") or "")
        lab.append(labels[i])
    return _labelled_set(ids, titles, contents, lab)


# ---- extra hand-labelled sets (label-only files in the repo, texts from ../shared) --------
def validate_label(obj: dict) -> str | None:
    """Why a label line is unusable (None when it is fine). Checked against the guide's lists."""
    from .lexicon import FIELD_LABELS, PROBLEM_LABELS

    if obj.get("source") not in EXTRA_SOURCES:
        return f"unknown source {obj.get('source')!r}"
    try:
        int(obj["留言编号"])
    except (KeyError, TypeError, ValueError):
        return "no 留言编号"
    if obj.get("enforcement") not in ("yes", "no"):
        return f"enforcement {obj.get('enforcement')!r}"
    if obj.get("enforcement") == "yes" and obj.get("kind") not in ("violation", "conduct"):
        return f"kind {obj.get('kind')!r}"
    if obj.get("tourism") not in ("yes", "no"):
        return f"tourism {obj.get('tourism')!r}"
    if obj.get("field") not in FIELD_LABELS:
        return f"field {obj.get('field')!r}"
    bad = [p for p in obj.get("problems") or [] if p not in PROBLEM_LABELS]
    if bad:
        return f"problems {bad!r}"
    return None


def read_label_files(paths: Iterable[Path], log=None) -> list[dict]:
    """Label lines of ``paths`` (JSON lines), validated, first occurrence of a (source, 留言编号)
    kept, normalised to :data:`LABEL_KEYS` and sorted by (source, 留言编号)."""
    out: dict[tuple[str, int], dict] = {}
    problems: list[str] = []  # "file:line: why" of every line skipped
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    problems.append(f"{path}:{number}: not JSON ({exc})")
                    continue
                why = validate_label(obj) if isinstance(obj, dict) else "not a JSON object"
                if why:
                    problems.append(f"{path}:{number}: {why}")
                    continue
                key = (obj["source"], int(obj["留言编号"]))
                if key in out:
                    problems.append(f"{path}:{number}: repeated id {key[0]} {key[1]}")
                    continue
                row = {k: obj.get(k) for k in LABEL_KEYS}
                row["留言编号"] = key[1]
                row["problems"] = list(row["problems"] or []) if row["enforcement"] == "yes" else []
                if row["enforcement"] == "no":
                    row["kind"] = None
                row["sure"] = row["sure"] if row["sure"] in ("high", "low") else "high"
                out[key] = row
    if log and problems:
        log(f"extra labels: {len(problems)} line(s) skipped:")
        for p in problems[:50]:
            log(f"  {p}")
        if len(problems) > 50:
            log(f"  … and {len(problems) - 50} more")
    return [out[k] for k in sorted(out)]


def write_label_file(rows: Sequence[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({k: row.get(k) for k in LABEL_KEYS}, ensure_ascii=False) + "\n")


def extra_label_files(labels_dir: Path = LABELS_DIR) -> list[Path]:
    return sorted(Path(labels_dir).glob("extra*.jsonl"))


def _bigram_set(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def load_extra_labels(data_dir: Path = DEFAULT_DATA_DIR, labels_dir: Path = LABELS_DIR,
                      exclude_texts: Sequence[str] = (), near_duplicate: float = 0.8, log=None) -> DevSet:
    """The extra hand-labelled messages (``labels_dir/extra*.jsonl``) joined with their texts
    from ``data_dir/taidi2020c/<source>`` by (source, 留言编号).

    Empty (with a message) when the label files or the texts are absent. Messages whose text is
    the same as, or a near-duplicate of (>= ``near_duplicate`` of its character bigrams in), one of
    ``exclude_texts`` (dev_300) are dropped, so that dev_300 figures stay clean; so are repeats of
    an earlier extra message."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    empty = _labelled_set([], [], [], [], [])
    files = extra_label_files(labels_dir)
    if not files:
        return empty
    rows = read_label_files(files, log)
    d = Path(data_dir) / "taidi2020c"
    if not d.is_dir():
        log(f"extra labels: texts not found at {d}; {len(rows)} extra labelled message(s) skipped")
        return empty
    texts: dict[str, dict[int, tuple[str, str]]] = {}
    for name in sorted({r["source"] for r in rows}):
        p = d / name
        if p.exists():
            texts[name] = {int(r["留言编号"]): (r.get("留言主题") or "", r.get("留言详情") or "") for r in _read_csv(p)}
    excl = set(exclude_texts)
    excl_bigrams = [_bigram_set(t) for t in exclude_texts]
    ids, titles, contents, lab, sources = [], [], [], [], []
    seen: set[str] = set()
    missing = dropped = 0
    for r in rows:
        tc = texts.get(r["source"], {}).get(r["留言编号"])
        if tc is None:
            missing += 1
            continue
        mt = model_text(*tc)
        if not mt or mt in excl or mt in seen:
            dropped += 1
            continue
        bg = _bigram_set(mt)
        if bg and any(len(bg & e) >= near_duplicate * len(bg) for e in excl_bigrams if e):
            dropped += 1
            continue
        seen.add(mt)
        ids.append(r["留言编号"])
        titles.append(tc[0])
        contents.append(tc[1])
        lab.append(r)
        sources.append(r["source"])
    if missing or dropped:
        log(f"extra labels: {missing} id(s) without text, {dropped} duplicate(s) of dev_300 / earlier rows dropped")
    return _labelled_set(ids, titles, contents, lab, sources)


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
