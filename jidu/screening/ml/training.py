"""Training of the screening model (pure Python; used by scripts/train_default_model.py and
benchmarks/screening.py).

How the little labelled data is stretched (see docs/MODEL_CARD.md):

* hand labels: dev_300 (``../shared/data/enforcement-labels``) + the extra hand-labelled
  messages of ``labels/extra*.jsonl`` (label-only files in the repo, joined with their texts in
  ``../shared/data/taidi2020c`` by (source, 留言编号); weight :data:`EXTRA_WEIGHT`). Every head
  below that says "dev_300" uses both.
* ``enforcement``: the hand-labelled rows (weight 1) + *weak* rows from the ~18,000
  unlabelled / 7-field-labelled message-board texts, labelled by guide-derived cue rules
  (a clear violation cue and no question/suggestion opening -> yes; a question/suggestion
  opening and no violation cue -> no), weight 0.1, balanced.
* ``kind``: enforcement-yes rows of dev_300 (weak conduct-cue rows are supported but off:
  they hurt in cross-validation).
* ``field`` (15): dev_300 + the 7-field taidi2020c rows mapped to the guide's fields by a
  documented rule, at a small weight (0.01; see :func:`train_field15`).
* ``problems`` (17, one binary model per type): dev_300 + weak rows whose specific cue words
  name the problem (weight 0.1).
* ``tourism``: hotel reviews (both polarities: travellers' language) + dev_300 + message
  texts with >= 2 tourism cues as positives; message texts with no tourism cue as negatives.
* ``field`` over the 7 taidi2020c labels: train_raw + train_tokenized (same code path as the
  15-field head, :func:`fit_single_label`; recipe :data:`TAIDI_FIELD`: Crammer-Singer SVM on
  char + word + opening blocks).

Everything is deterministic: fixed seeds, hash-based splits, sorted inputs.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from . import data as D
from .classifier import Featurizer, Head, Screener
from .lexicon import FIELD_LABELS, PROBLEM_CUES, PROBLEM_LABELS, TAIDI_FIELD_LABELS, TOURISM_CUES

SEED = 20240601
WEAK_WEIGHT = 0.1
# weight of an extra hand-labelled message relative to a dev_300 row (same guide, same sources)
EXTRA_WEIGHT = 1.0
MAX_WEAK_PER_CLASS = 3000
# enforcement yes/no cut on P(yes), chosen WITHOUT dev_300 by :func:`choose_threshold` on the
# pooled out-of-fold probabilities of a stratified 5-fold CV on the extra hand-labelled messages
# (each fold trained on 4/5 of them + weak rows): F1 within 0.005 of its maximum (0.871 at 0.455)
# from 0.305 to 0.56, the middle of that plateau is 0.43 (F1 at 0.5: 0.869). Re-derived by
# ``benchmarks/screening.py`` (``enforcement_threshold_extra_cv``); see docs/MODEL_CARD.md.
ENFORCEMENT_THRESHOLD = 0.43

# ---- weak-label rules (from the labelling guide, not fitted to the labels) ----------------
VIOLATION_RE = re.compile(
    "举报|违法|违规|非法|查处|偷排|扰民|噪音|噪声|无证|无照|拖欠|欠薪|污染|不作为|乱作为|乱收费|违建|违章建|私搭|乱搭|"
    "黑车|占道|强拆|欺诈|诈骗|虚假宣传|短斤|缺斤|强迫|霸王|赌博|传销|殴打|打人|克扣|黑心|霸占|强行|未按规定|擅自|私自|"
    "违反|责令|取缔|严查|推诿|置之不理|无人管|没人管|垄断|假冒|伪劣|补课")
QUESTION_OPENING_RE = re.compile(
    "^.{0,30}(咨询|请问|建议|希望|何时|能否|可否|什么时候|如何|怎样|怎么|为何|为什么|是否|求助|申请|恳请|呼吁|关于)")
CONDUCT_RE = re.compile("不作为|乱作为|推诿|踢皮球|暴力执法|乱罚款|选择性执法|包庇|置之不理|无人管|没人管|不管不问|敷衍|"
                        "乱执法|滥用职权|不予理睬|石沉大海|互相推|相互推")
# cue words too generic to name a problem type on their own (used only by the model features)
GENERIC_CUES = {"价格", "工资", "拖欠", "危险", "隐患", "排放", "收取费用", "收费标准", "物业费", "停车费", "补课费",
                "食堂", "未取得", "没有办理", "执法人员", "退还", "押金", "定金", "订金", "搭建", "化工", "水质", "社保",
                "辞退", "开除", "公积金", "试用期", "电梯", "消防", "燃气", "煤气", "排放", "规划", "虚构", "乱停"}
TOURISM_STRONG = tuple(c for c in TOURISM_CUES if c not in {"房间", "入住", "前台", "退房", "沙滩", "沈家门", "岱山",
                                                             "嵊泗", "度假", "住宿", "游乐"})

# 7 taidi2020c labels -> 15 guide fields (weak). Refinement cues are checked in order.
TAIDI_TO_GUIDE: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "劳动和社会保障": ("人社", (("医保|医疗保险", "卫生健康"), ("低保|救助|养老院|敬老院|残疾", "民政"))),
    "卫生计生": ("卫生健康", ()),
    "交通运输": ("交通运输", (("交警|驾驶证|违章|酒驾", "公安"),)),
    "环境保护": ("生态环境", (("油烟|夜间施工|渣土|工地", "综合执法"), ("广场舞|酒吧|KTV", "公安"),
                          ("采砂|砍伐|毁林|野生动物", "资源规划"))),
    "教育文体": ("教育", (("景区|旅游|图书馆|博物馆|体育馆|演出|文物|网吧", "文旅"),)),
    "城乡建设": ("住建", (("土地|征地|宅基地|规划|国土|不动产登记|采砂", "资源规划"),
                          ("城管|违建|违章建|占道|摊贩|私搭乱建|乱搭", "综合执法"),
                          ("消防|安全生产", "应急消防"))),
    "商贸旅游": ("市场监管", (("景区|旅游|旅行社|导游|游客", "文旅"),)),
}


def weak_enforcement(texts: Sequence[str]) -> np.ndarray:
    """+1 weak yes, 0 weak no, -1 undecided."""
    out = np.full(len(texts), -1, dtype=int)
    for i, t in enumerate(texts):
        v = VIOLATION_RE.search(t) is not None
        q = QUESTION_OPENING_RE.search(t) is not None
        if v and not q:
            out[i] = 1
        elif q and not v:
            out[i] = 0
    return out


def map_taidi_field(text: str, label: str) -> str:
    base, refinements = TAIDI_TO_GUIDE.get(label, ("其他", ()))
    for pattern, target in refinements:
        if re.search(pattern, text):
            return target
    return base


def problem_cue_matrix(texts: Sequence[str]) -> np.ndarray:
    """(n, 17) 0/1: the text contains a specific (non-generic) cue of the problem type."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for k, label in enumerate(PROBLEM_LABELS):
        for cue in PROBLEM_CUES.get(label, ()):
            if cue in GENERIC_CUES:
                continue
            if cue in auto:
                auto.get(cue).append(k)
            else:
                auto.add_word(cue, [k])
    auto.make_automaton()
    out = np.zeros((len(texts), len(PROBLEM_LABELS)), dtype=np.int8)
    for i, t in enumerate(texts):
        for _, ks in auto.iter(t):
            out[i, ks] = 1
    return out


def tourism_cue_count(texts: Sequence[str], cues: Sequence[str] = TOURISM_STRONG) -> np.ndarray:
    return np.array([sum(1 for c in cues if c in t) for t in texts])


# ---- estimators ---------------------------------------------------------------------------
def fit_binary(x, y, sample_weight=None, C: float = 10.0) -> tuple[sp.csr_matrix, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(y).astype(int)
    if y.min() == y.max():  # degenerate: constant prediction
        coef = sp.csr_matrix((1, x.shape[1]), dtype=np.float32)
        return coef, np.array([8.0 if y[0] == 1 else -8.0], np.float32)
    m = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=SEED)
    m.fit(x, y, sample_weight=sample_weight)
    return sp.csr_matrix(m.coef_.astype(np.float32)), m.intercept_.astype(np.float32)


def fit_single_label(x, labels: Sequence[str], label_set: Sequence[str], estimator: str = "svc",
                     sample_weight=None, C: float | None = None, calibrate: bool = True,
                     class_weight: str | None = None, multi_class: str = "ovr"):
    """Multiclass head over ``label_set`` (any label set: the guide's 15 fields or the 7
    taidi2020c labels). Returns (coef (n_classes, n_features), intercept, temperature).
    Classes of ``label_set`` absent from ``labels`` get a very low intercept.
    ``class_weight="balanced"`` reweights rare classes (off by default: on the 7 taidi2020c labels
    it gave 0.912 vs 0.907 macro-F1, inside the fold spread -- docs/MODEL_CARD.md, Limits).
    ``multi_class="crammer_singer"`` (svc only): one joint multi-class SVM instead of one-vs-rest
    (used by the taidi 7-label head, :data:`TAIDI_FIELD`)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    labels = np.asarray(labels)
    present = [l for l in label_set if (labels == l).any()]
    if estimator == "svc":
        m = LinearSVC(C=C or 0.5, class_weight=class_weight, multi_class=multi_class, random_state=SEED)
    else:
        m = LogisticRegression(C=C or 10.0, class_weight=class_weight, max_iter=3000, random_state=SEED)
    m.fit(x, labels, sample_weight=sample_weight)
    classes = list(m.classes_)
    coef = np.zeros((len(label_set), x.shape[1]), np.float32)
    intercept = np.full(len(label_set), -30.0, np.float32)
    cm = m.coef_ if len(classes) > 2 else np.vstack([-m.coef_[0], m.coef_[0]]) / 2
    ci = m.intercept_ if len(classes) > 2 else np.array([-m.intercept_[0], m.intercept_[0]]) / 2
    for k, l in enumerate(classes):
        j = list(label_set).index(l)
        coef[j] = cm[k]
        intercept[j] = ci[k]
    temperature = 1.0
    if estimator == "svc" and calibrate and len(present) > 1:
        temperature = _fit_temperature(x, labels, label_set, C or 0.5, sample_weight, class_weight, multi_class)
    return sp.csr_matrix(coef), intercept, temperature


def _fit_temperature(x, labels, label_set, C, sample_weight, class_weight=None, multi_class="ovr") -> float:
    """Softmax temperature for SVC decision values, fitted on 3-fold out-of-fold scores."""
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    labels = np.asarray(labels)
    z = np.zeros((len(labels), len(label_set)), np.float32)
    skf = StratifiedKFold(3, shuffle=True, random_state=SEED)
    for a, b in skf.split(np.zeros(len(labels)), labels):
        sw = None if sample_weight is None else np.asarray(sample_weight)[a]
        m = LinearSVC(C=C, class_weight=class_weight, multi_class=multi_class,
                      random_state=SEED).fit(x[a], labels[a], sample_weight=sw)
        d = m.decision_function(x[b])
        for k, l in enumerate(m.classes_):
            z[b, list(label_set).index(l)] = d[:, k]
    y = np.array([list(label_set).index(l) for l in labels])
    best, best_t = 1e9, 1.0
    for t in (0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20):
        s = z * t
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        nll = -logp[np.arange(len(y)), y].mean()
        if nll < best:
            best, best_t = nll, float(t)
    return best_t


def prune(coef: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Keep the ``keep`` largest-magnitude weights of every output row (size control)."""
    coef = sp.csr_matrix(coef, dtype=np.float32)
    rows = []
    for r in range(coef.shape[0]):
        row = coef.getrow(r)
        if row.nnz > keep:
            thr = np.partition(np.abs(row.data), row.nnz - keep)[row.nnz - keep]
            row.data[np.abs(row.data) < thr] = 0
            row.eliminate_zeros()
        rows.append(row)
    return sp.vstack(rows, format="csr")


# ---- corpora ------------------------------------------------------------------------------
@dataclass
class Corpora:
    taidi: D.TaidiData
    dev: D.DevSet
    hotel: D.HotelReviews
    unlabeled: list[str]
    extra: D.DevSet | None = None  # extra hand-labelled messages (labels/extra*.jsonl + shared texts)

    def labelled(self, extra_weight: float | None = None) -> tuple[D.DevSet, np.ndarray]:
        """dev_300 + the extra hand-labelled messages, with per-row weights (dev_300 rows 1,
        extra rows ``extra_weight``, default :data:`EXTRA_WEIGHT`)."""
        w_extra = EXTRA_WEIGHT if extra_weight is None else extra_weight
        if not self.extra or not len(self.extra):
            return self.dev, np.ones(len(self.dev))
        return D.DevSet.concat([self.dev, self.extra]), np.r_[np.ones(len(self.dev)), np.full(len(self.extra), w_extra)]


def load_corpora(data_dir: Path = D.DEFAULT_DATA_DIR, labels_dir: Path = D.LABELS_DIR, log=None) -> Corpora:
    """All training / evaluation data. The extra hand-labelled messages are joined with their
    texts from ``data_dir`` (skipped with a message when those texts are absent); they and
    dev_300's texts are removed from the unlabelled texts, the main source of weak rows."""
    dev = D.load_dev300(data_dir)
    extra = D.load_extra_labels(data_dir, labels_dir, exclude_texts=dev.texts, log=log)
    labelled = set(dev.texts) | set(extra.texts)
    unlabeled = [t for t in D.load_unlabeled(data_dir) if t not in labelled]
    return Corpora(D.load_taidi(data_dir), dev, D.load_hotel(data_dir), unlabeled, extra)


def word_list(token_lists: Sequence[Sequence[str]], min_count: int = 3) -> list[str]:
    """Dictionary words (>= 2 chars, not pure latin/digits) seen in >= min_count documents."""
    df: Counter = Counter()
    for toks in token_lists:
        df.update({w for w in toks if len(w) >= 2 and not re.fullmatch(r"[A-Za-z0-9.]+", w)})
    return sorted(w for w, c in df.items() if c >= min_count)


def build_featurizer(texts: Sequence[str], words: Sequence[str], max_char_features: int = 150_000,
                     opening_chars: int = 0, opening_fit_texts: Sequence[str] | None = None) -> Featurizer:
    return Featurizer(max_char_features=max_char_features, words=words,
                      opening_chars=opening_chars).fit(list(texts), opening_fit_texts=opening_fit_texts)


# The taidi2020c 7-label head (``taidi_field``, and ``field`` with ``--field-labels taidi7``):
# chosen on the 5 hash folds of train_raw (benchmarks/screening.py ``bench_field7``; every fold
# fits its own vocabularies; docs/MODEL_CARD.md). Unpruned macro-F1: one-vs-rest LinearSVC on
# char + word + cue blocks 0.907; + an opening block (char 1-3-grams of the first 30 characters:
# the title) 0.916; without the cue-group block 0.919; Crammer-Singer instead of one-vs-rest
# 0.923 (all 5 folds up). The cue-group block stays in the shared features for the other heads;
# this head is trained with it zeroed, the other heads with the opening block zeroed.
TAIDI_FIELD = {"opening_chars": 30, "blocks": ("char", "word", "opening"), "multi_class": "crammer_singer",
               "C": 0.5}
# the blocks every other head uses (their figures are those of the features before the opening block)
BASE_BLOCKS = ("char", "word", "lex")


def select_blocks(feat: Featurizer, x, blocks: Sequence[str]) -> sp.csr_matrix:
    """``x`` with the columns of every block not in ``blocks`` zeroed (same shape, so the fitted
    weights stay aligned with the shared feature space; zero columns get zero weights)."""
    mask = feat.block_mask(blocks)
    if mask.all():
        return sp.csr_matrix(x)
    return sp.csr_matrix(x @ sp.diags(mask))


def fit_taidi_field(feat: Featurizer, x, labels: Sequence[str], calibrate: bool = True):
    """The 7-label taidi2020c head with the :data:`TAIDI_FIELD` recipe: (coef, intercept, temperature)."""
    return fit_single_label(select_blocks(feat, x, TAIDI_FIELD["blocks"]), labels, TAIDI_FIELD_LABELS,
                            estimator="svc", C=TAIDI_FIELD["C"], multi_class=TAIDI_FIELD["multi_class"],
                            calibrate=calibrate)


def _sample(idx: np.ndarray, n: int, rng: np.random.RandomState) -> np.ndarray:
    idx = np.sort(idx)
    return idx if len(idx) <= n else np.sort(rng.choice(idx, n, replace=False))


@dataclass
class WeakPool:
    """Texts usable for weak labels (no hand labels) with their featurised rows."""

    texts: list[str]
    x: sp.csr_matrix
    taidi_labels: list[str | None]  # 7-field label where known
    enf: np.ndarray
    cues: np.ndarray
    tour: np.ndarray


def make_weak_pool(featurizer: Featurizer, texts: Sequence[str], taidi_labels: Sequence[str | None]) -> WeakPool:
    texts = list(texts)
    return WeakPool(texts=texts, x=featurizer.transform(texts), taidi_labels=list(taidi_labels),
                    enf=weak_enforcement(texts), cues=problem_cue_matrix(texts), tour=tourism_cue_count(texts))


# ---- heads --------------------------------------------------------------------------------
def _w(dev_weight, n: int) -> np.ndarray:
    return np.ones(n) if dev_weight is None else np.asarray(dev_weight, float)


def train_enforcement(x_dev, y_dev, pool: WeakPool, C: float = 10.0, weak_weight: float = WEAK_WEIGHT,
                      dev_weight=None):
    rng = np.random.RandomState(SEED)
    yes = _sample(np.where(pool.enf == 1)[0], MAX_WEAK_PER_CLASS, rng)
    no = _sample(np.where(pool.enf == 0)[0], MAX_WEAK_PER_CLASS, rng)
    n = min(len(yes), len(no))
    yes, no = yes[:n], no[:n]
    x = sp.vstack([x_dev, pool.x[yes], pool.x[no]], format="csr")
    y = np.r_[y_dev, np.ones(n), np.zeros(n)]
    w = np.r_[_w(dev_weight, x_dev.shape[0]), np.full(2 * n, weak_weight)]
    return fit_binary(x, y, w, C)


def choose_threshold(y, p, tolerance: float = 0.005, grid=None) -> float:
    """Decision threshold for a binary head from (pooled out-of-fold) probabilities: the middle
    of the contiguous range of thresholds around the F1 maximum whose F1 is within ``tolerance``
    of it (smoother than the arg-max on a flat curve), on a 0.005 grid from 0.2 to 0.8."""
    y = np.asarray(y).astype(int)
    p = np.asarray(p, float)
    grid = np.round(np.arange(0.2, 0.8001, 0.005), 3) if grid is None else np.asarray(grid)
    f = np.empty(len(grid))
    for k, t in enumerate(grid):
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        f[k] = 2 * tp / max(int(pred.sum()) + int(y.sum()), 1)
    i = int(f.argmax())
    lo = hi = i
    while lo > 0 and f[lo - 1] >= f[i] - tolerance:
        lo -= 1
    while hi < len(grid) - 1 and f[hi + 1] >= f[i] - tolerance:
        hi += 1
    return float(round(round((grid[lo] + grid[hi]) / 2 / 0.005) * 0.005, 3))


def train_kind(x_dev_yes, is_conduct, pool: WeakPool | None = None, C: float = 10.0, weak_weight: float = 0.0,
               dev_weight=None):
    """conduct (1) vs violation (0) on enforcement-yes rows. Weak rows (conduct cues) are off by
    default: in dev_300 CV they lowered accuracy (0.74 with, 0.82 without)."""
    if pool is None or weak_weight <= 0:
        return fit_binary(x_dev_yes, is_conduct, dev_weight, C)
    rng = np.random.RandomState(SEED + 1)
    yes_idx = np.where(pool.enf == 1)[0]
    conduct = np.array([CONDUCT_RE.search(pool.texts[i]) is not None for i in yes_idx], bool)
    c_idx = _sample(yes_idx[conduct], 1000, rng)
    v_idx = _sample(yes_idx[~conduct], 1000, rng)
    x = sp.vstack([x_dev_yes, pool.x[c_idx], pool.x[v_idx]], format="csr")
    y = np.r_[is_conduct, np.ones(len(c_idx)), np.zeros(len(v_idx))]
    w = np.r_[_w(dev_weight, x_dev_yes.shape[0]), np.full(len(c_idx) + len(v_idx), weak_weight)]
    return fit_binary(x, y, w, C)


FIELD15_WEAK_WEIGHT = 0.01


def train_field15(x_dev, fields_dev, pool: WeakPool | None = None, C: float = 10.0,
                  weak_weight: float = FIELD15_WEAK_WEIGHT, dev_weight=None):
    """The guide's 15 fields: dev_300 + the 7-field taidi2020c rows mapped by ``TAIDI_TO_GUIDE``
    as weak rows. In dev_300 CV accuracy was 0.56 at weight 0.1, 0.61 at 0.01 and 0.63 without
    them -- but without them dev_300's 300 rows (10 市场监管, 3 文旅) send obvious cases astray
    (a short-weight seafood complaint -> 交通运输, a homestay refund -> 住建), so the default
    keeps them at a small weight (0.01)."""
    if pool is None or weak_weight <= 0:
        return fit_single_label(x_dev, list(fields_dev), FIELD_LABELS, estimator="lr", C=C, sample_weight=dev_weight)
    idx = np.array([i for i, l in enumerate(pool.taidi_labels) if l], dtype=int)
    weak = [map_taidi_field(pool.texts[i], pool.taidi_labels[i]) for i in idx]
    x = sp.vstack([x_dev, pool.x[idx]], format="csr") if len(idx) else x_dev
    labels = list(fields_dev) + weak
    w = np.r_[_w(dev_weight, x_dev.shape[0]), np.full(len(idx), weak_weight)]
    return fit_single_label(x, labels, FIELD_LABELS, estimator="lr", sample_weight=w, C=C)


def train_problems(x_dev, problems_dev: Sequence[Sequence[str]], pool: WeakPool, C: float = 10.0, dev_weight=None):
    rng = np.random.RandomState(SEED + 2)
    # weak rows: weak-yes texts with at least one specific cue (positives of those types,
    # negatives of the others) + weak-no texts (negatives of all types)
    yes_idx = np.where((pool.enf == 1) & (pool.cues.sum(axis=1) > 0))[0]
    no_idx = _sample(np.where(pool.enf == 0)[0], 1500, rng)
    yes_idx = _sample(yes_idx, MAX_WEAK_PER_CLASS, rng)
    weak_idx = np.r_[yes_idx, no_idx]
    x = sp.vstack([x_dev, pool.x[weak_idx]], format="csr")
    w = np.r_[_w(dev_weight, x_dev.shape[0]), np.full(len(weak_idx), WEAK_WEIGHT)]
    coefs, intercepts = [], []
    for k, label in enumerate(PROBLEM_LABELS):
        y_dev = np.array([label in p for p in problems_dev], int)
        y_weak = np.r_[pool.cues[yes_idx, k], np.zeros(len(no_idx), int)]
        c, b = fit_binary(x, np.r_[y_dev, y_weak], w, C)
        coefs.append(c)
        intercepts.append(b)
    return sp.vstack(coefs, format="csr"), np.concatenate(intercepts)


def train_tourism(x_dev, y_dev, pool: WeakPool, x_hotel, C: float = 10.0, dev_weight=None):
    rng = np.random.RandomState(SEED + 3)
    pos = np.where(pool.tour >= 2)[0]
    neg = _sample(np.where(pool.tour == 0)[0], 6000, rng)
    x = sp.vstack([x_dev, x_hotel, pool.x[pos], pool.x[neg]], format="csr")
    y = np.r_[y_dev, np.ones(x_hotel.shape[0]), np.ones(len(pos)), np.zeros(len(neg))]
    w = np.r_[_w(dev_weight, x_dev.shape[0]), np.ones(x_hotel.shape[0]), np.full(len(pos) + len(neg), 0.5)]
    return fit_binary(x, y, w, C)


PRUNE = {"enforcement": 40_000, "kind": 15_000, "field": 15_000, "problems": 6_000, "tourism": 30_000,
         "taidi_field": 40_000}


def train_screener(c: Corpora, field_labels: str = "guide15", with_taidi_head: bool = True,
                   max_char_features: int = 150_000, log=print) -> Screener:
    """Train the full screener from all available data (the shipped model).

    ``field_labels``: ``guide15`` (default: the guide's 15 fields from dev_300 + mapped taidi
    rows) or ``taidi7`` (the field head is trained on the 7 taidi2020c labels instead)."""
    t0 = time.time()
    taidi_texts, taidi_labels, tok_words = c.taidi.all()
    words = word_list(tok_words)
    lab, lab_w = c.labelled()
    fit_texts = taidi_texts + c.unlabeled + c.hotel.texts + lab.texts
    taidi_head = with_taidi_head or field_labels == "taidi7"
    feat = build_featurizer(fit_texts, words, max_char_features,
                            opening_chars=TAIDI_FIELD["opening_chars"] if taidi_head else 0,
                            # as in the benchmark folds: the opening block's vocabulary / idf from
                            # the taidi texts its head is trained on
                            opening_fit_texts=taidi_texts)
    log(f"featurizer: {feat.n_char} char n-grams + {feat.n_word} words + {len(feat.lexicon.names)} cue groups "
        f"+ {feat.n_features - feat.block_slices()['opening'].start} opening n-grams ({time.time() - t0:.1f}s)")
    pool = make_weak_pool(feat, taidi_texts + c.unlabeled, list(taidi_labels) + [None] * len(c.unlabeled))
    x_taidi = pool.x[: len(taidi_texts)]  # all blocks (the taidi head picks its own)
    # every other head sees the features without the opening block
    pool.x = select_blocks(feat, pool.x, BASE_BLOCKS)
    log(f"hand-labelled rows: dev_300 {len(c.dev)} + extra {len(lab) - len(c.dev)} (weight {EXTRA_WEIGHT})")
    x_dev = select_blocks(feat, feat.transform(lab.texts), BASE_BLOCKS)
    x_hotel = select_blocks(feat, feat.transform(c.hotel.texts), BASE_BLOCKS)
    heads: dict[str, Head] = {}

    coef, b = train_enforcement(x_dev, lab.enforcement, pool, dev_weight=lab_w)
    heads["enforcement"] = Head("enforcement", "binary", ("no", "yes"), prune(coef, PRUNE["enforcement"]), b,
                                info={"threshold": ENFORCEMENT_THRESHOLD,
                                      "threshold_source": "5-fold CV on the extra hand-labelled messages "
                                                          "(middle of the F1 plateau; dev_300 not used)"})
    log(f"enforcement head ({time.time() - t0:.1f}s)")

    yes = np.where(lab.enforcement == 1)[0]
    coef, b = train_kind(x_dev[yes], np.array([lab.kind[i] == "conduct" for i in yes], int), pool,
                         dev_weight=lab_w[yes])
    heads["kind"] = Head("kind", "binary", ("violation", "conduct"), prune(coef, PRUNE["kind"]), b)
    log(f"kind head ({time.time() - t0:.1f}s)")

    if field_labels == "taidi7":
        coef, b, t = fit_taidi_field(feat, x_taidi, taidi_labels)
        heads["field"] = Head("field", "multiclass", TAIDI_FIELD_LABELS, prune(coef, PRUNE["taidi_field"]), b, t)
    else:
        coef, b, t = train_field15(x_dev, lab.field, pool, dev_weight=lab_w)
        heads["field"] = Head("field", "multiclass", FIELD_LABELS, prune(coef, PRUNE["field"]), b, t)
    log(f"field head ({time.time() - t0:.1f}s)")

    coef, b = train_problems(x_dev, lab.problems, pool, dev_weight=lab_w)
    heads["problems"] = Head("problems", "multilabel", PROBLEM_LABELS, prune(coef, PRUNE["problems"]), b,
                             thresholds=np.full(len(PROBLEM_LABELS), 0.5, np.float32))
    log(f"problems head ({time.time() - t0:.1f}s)")

    coef, b = train_tourism(x_dev, lab.tourism, pool, x_hotel, dev_weight=lab_w)
    heads["tourism"] = Head("tourism", "binary", ("no", "yes"), prune(coef, PRUNE["tourism"]), b)
    log(f"tourism head ({time.time() - t0:.1f}s)")

    if with_taidi_head and field_labels != "taidi7":
        coef, b, t = fit_taidi_field(feat, x_taidi, taidi_labels)
        heads["taidi_field"] = Head("taidi_field", "multiclass", TAIDI_FIELD_LABELS,
                                    prune(coef, PRUNE["taidi_field"]), b, t)
        log(f"taidi_field head ({time.time() - t0:.1f}s)")

    version = f"screen-{date.today():%Y%m%d}-{field_labels}"
    return Screener(feat, heads, version)
