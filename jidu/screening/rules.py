"""Rules staff edit: match an order's text, then force, suggest or veto a label value.

Matching never uses ``\\b`` word boundaries (there are none between Chinese characters):

* default — on **substrings** of the normalised text (traditional → simplified, full-width →
  half-width, emoji removed, whitespace collapsed, case-folded);
* ``segmented=True`` — on the **words** jieba cuts the normalised text into (a term must equal a
  whole word; ``exact`` needs the phrase's words consecutively; ``regex`` must match a whole word).

Match types: ``any`` (one of the terms), ``all`` (every term), ``exact`` (the whole pattern as one
phrase), ``regex`` (Python ``re``, case-insensitive), ``fuzzy`` — approximate matching by **edit
distance** (Levenshtein): a term is found if some substring of the text (or, segmented, some word)
is within ``max_edits(term)`` insertions/deletions/substitutions of it: 0 for terms of up to 3
characters, 1 for 4–7, 2 for 8 or more. So 缺斤少两 finds 缺斤短两, but 鬼秤 only finds 鬼秤.

Terms are separated by spaces, commas (，,)、semicolons or new lines.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)

RULE_MAX_CHARS = 20_000
MAX_PATTERN_CHARS = 2_000
_SPLIT_RE = re.compile(r"[\s,，、;；]+")

BINARY_LABELS = ("enforcement", "tourism")
YES, NO = "yes", "no"
_YES_WORDS = {"yes", "y", "true", "1", "是", "涉", "涉及", "有"}
_NO_WORDS = {"no", "n", "false", "0", "否", "不涉", "不涉及", "无"}
_KIND_WORDS = {"violation": "violation", "违法行为": "violation", "举报违法行为": "violation", "违法": "violation",
               "conduct": "conduct", "执法行为": "conduct", "投诉执法行为": "conduct", "执法": "conduct"}


# ---- text --------------------------------------------------------------------------------------
def _normalize(text: str | None, max_chars: int | None = None) -> str:
    try:
        from jidu.screening.ml.text import normalize
    except ImportError:  # pragma: no cover - the ML package ships text.py
        import unicodedata

        text = unicodedata.normalize("NFKC", text or "")
        text = re.sub(r"\s+", " ", text).strip()
        return text[:max_chars] if max_chars else text
    return normalize(text, max_chars=max_chars)


def rule_text(title: str | None, content: str | None) -> str:
    """The text rules match on: normalised title and content, case-folded."""
    title_n = _normalize(title, max_chars=500)
    content_n = _normalize(content, max_chars=RULE_MAX_CHARS)
    return f"{title_n}\n{content_n}".casefold()


_JIEBA_READY = False


def segment(text: str) -> list[str]:
    global _JIEBA_READY
    import jieba

    if not _JIEBA_READY:
        jieba.setLogLevel(logging.WARNING)
        _JIEBA_READY = True
    return [w for w in jieba.lcut(text) if w.strip()]


class Doc:
    """One order's text as rules see it; words are segmented on first use only."""

    __slots__ = ("text", "_words", "_word_set")

    def __init__(self, title: str | None = "", content: str | None = "", *, text: str | None = None):
        self.text = text if text is not None else rule_text(title, content)
        self._words: list[str] | None = None
        self._word_set: set[str] | None = None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = segment(self.text)
        return self._words

    @property
    def word_set(self) -> set[str]:
        if self._word_set is None:
            self._word_set = set(self.words)
        return self._word_set


# ---- values ------------------------------------------------------------------------------------
def normalize_value(label: str, value) -> str:
    """Canonical value of a rule or correction: yes/no, violation/conduct, or a name."""
    text = str(value if value is not None else "").strip()
    if label in BINARY_LABELS:
        low = text.casefold()
        if low in _YES_WORDS:
            return YES
        if low in _NO_WORDS:
            return NO
        return text
    if label == "kind":
        return _KIND_WORDS.get(text.casefold(), text)
    return text


def split_terms(pattern: str) -> list[str]:
    return [t.casefold() for t in _SPLIT_RE.split(_normalize(pattern or "")) if t]


def max_edits(term: str) -> int:
    n = len(term)
    return 0 if n <= 3 else 1 if n <= 7 else 2


def validate_rule(rule) -> None:
    """Raise ValidationError (messages in Chinese, keyed by form field) if the rule is unusable."""
    from jidu.org.models import Field, ProblemType
    from jidu.screening.models import Label, Rule

    errors: dict[str, str] = {}
    if rule.label not in Label.values:
        errors["label"] = "未知的标签"
    value = normalize_value(rule.label, rule.value)
    if rule.label in BINARY_LABELS and value not in (YES, NO):
        errors["value"] = "“涉行政执法”“涉旅”的取值只能是 yes（是）或 no（否）"
    elif rule.label == "kind" and value not in ("violation", "conduct"):
        errors["value"] = "类别的取值只能是 violation（举报违法行为）或 conduct（投诉执法行为）"
    elif rule.label == "field" and not Field.objects.filter(name=value).exists():
        errors["value"] = f"没有名为“{value}”的执法领域"
    elif rule.label == "problem" and not ProblemType.objects.filter(name=value).exists():
        errors["value"] = f"没有名为“{value}”的问题类型"
    else:
        rule.value = value
    pattern = (rule.pattern or "").strip()
    if not pattern:
        errors["pattern"] = "匹配内容不能为空"
    elif len(pattern) > MAX_PATTERN_CHARS:
        errors["pattern"] = f"匹配内容过长（最多{MAX_PATTERN_CHARS}字）"
    elif rule.match == Rule.Match.REGEX:
        if re.search(r"(?<!\\)\\[bB]", pattern):
            errors["pattern"] = ("正则表达式中不能使用 \\b 或 \\B：中文词之间没有词边界，\\b 在中文里匹配不到；"
                                 "请直接写要匹配的文字，或勾选“按分词匹配”")
        else:
            try:
                re.compile(pattern)
            except re.error as exc:
                where = f"（第{exc.pos + 1}个字符附近）" if exc.pos is not None else ""
                errors["pattern"] = f"正则表达式有误{where}：{exc.msg}"
    elif rule.match in (Rule.Match.ANY, Rule.Match.ALL, Rule.Match.FUZZY, Rule.Match.EXACT) \
            and not split_terms(pattern):
        errors["pattern"] = "匹配内容中没有可用的词"
    if rule.match not in Rule.Match.values:
        errors["match"] = "未知的匹配方式"
    if rule.effect not in Rule.Effect.values:
        errors["effect"] = "未知的效果"
    if errors:
        raise ValidationError(errors)


# ---- matching ----------------------------------------------------------------------------------
def _levenshtein(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def approx_find(term: str, text: str, k: int) -> str | None:
    """The first substring of ``text`` within ``k`` edits of ``term`` (Sellers' algorithm), or None."""
    if k == 0:
        return term if term in text else None
    if term in text:
        return term
    m = len(term)
    # Cheap filter: at least m - k of the term's characters must occur somewhere in the text.
    if sum(1 for ch in term if ch in text) < m - k:
        return None
    prev = list(range(m + 1))
    for j, ch in enumerate(text):
        cur = [0]
        for i in range(1, m + 1):
            cur.append(min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (term[i - 1] != ch)))
        if cur[m] <= k:
            return text[max(0, j - m + 1): j + 1]
        prev = cur
    return None


@dataclass
class CompiledRule:
    id: int | None
    name: str
    label: str
    value: str
    match: str
    effect: str
    priority: int
    segmented: bool
    terms: list[str] = field(default_factory=list)
    regex: re.Pattern | None = None

    @classmethod
    def from_rule(cls, rule) -> CompiledRule:
        terms = split_terms(rule.pattern)
        regex = None
        if rule.match == "regex":
            regex = re.compile(rule.pattern.strip(), re.IGNORECASE)
        elif rule.match == "exact":
            phrase = _normalize(rule.pattern).casefold()
            terms = [phrase]
        return cls(rule.pk, rule.name, rule.label, normalize_value(rule.label, rule.value), rule.match,
                   rule.effect, rule.priority, rule.segmented, terms, regex)

    def sort_key(self):
        # Smaller priority first; at equal priority a veto beats a force beats a suggestion.
        return (self.priority, {"veto": 0, "force": 1, "suggest": 2}.get(self.effect, 3), self.id or 0)

    def match_doc(self, doc: Doc) -> str | None:
        """The evidence (matched text) if the rule matches, else None."""
        if self.segmented:
            return self._match_words(doc)
        text = doc.text
        if self.match == "any":
            return next((t for t in self.terms if t in text), None)
        if self.match == "all":
            return "、".join(self.terms) if all(t in text for t in self.terms) else None
        if self.match == "exact":
            return self.terms[0] if self.terms and self.terms[0] in text else None
        if self.match == "regex":
            m = self.regex.search(text)
            return m.group(0) if m else None
        if self.match == "fuzzy":
            for t in self.terms:
                hit = approx_find(t, text, max_edits(t))
                if hit is not None:
                    return hit
        return None

    def _match_words(self, doc: Doc) -> str | None:
        words = doc.word_set
        if self.match == "any":
            return next((t for t in self.terms if t in words), None)
        if self.match == "all":
            return "、".join(self.terms) if all(t in words for t in self.terms) else None
        if self.match == "exact":
            phrase = [w for w in segment(self.terms[0]) if w.strip()] if self.terms else []
            seq, n = doc.words, len(phrase)
            if n and any(seq[i:i + n] == phrase for i in range(len(seq) - n + 1)):
                return self.terms[0]
            return None
        if self.match == "regex":
            return next((w for w in words if self.regex.fullmatch(w)), None)
        if self.match == "fuzzy":
            for t in self.terms:
                k = max_edits(t)
                for w in words:
                    if _levenshtein(t, w, k) <= k:
                        return w
        return None


def compile_rules(rules) -> list[CompiledRule]:
    compiled = []
    for rule in rules:
        try:
            compiled.append(CompiledRule.from_rule(rule))
        except re.error:
            log.warning("screening rule %s has an invalid pattern; skipped", rule.pk)
    return sorted(compiled, key=CompiledRule.sort_key)


def active_rules() -> list[CompiledRule]:
    from jidu.screening.models import Rule

    return compile_rules(Rule.objects.filter(active=True))


@dataclass
class RuleHit:
    rule: CompiledRule
    evidence: str


def match_all(rules: list[CompiledRule], doc: Doc) -> list[RuleHit]:
    from jidu.core.masking import mask_text

    hits = []
    for rule in rules:
        try:
            evidence = rule.match_doc(doc)
        except Exception:  # a rule must never stop screening
            log.exception("screening rule %s failed", rule.id)
            continue
        if evidence is not None:
            # Evidence is stored and shown: a rule may match a phone or ID number, so mask it.
            hits.append(RuleHit(rule, mask_text(evidence) if any(c.isdigit() for c in evidence) else evidence))
    return hits


# ---- trying a rule before saving it ------------------------------------------------------------
@dataclass
class TryResult:
    total: int
    matched: int
    examples: list[dict]


def _snippet(text: str, evidence: str, width: int = 30) -> str:
    from jidu.core.masking import mask_text

    first = evidence.split("、")[0] if evidence else ""
    pos = text.find(first) if first else -1
    if pos < 0:
        return mask_text(text[: width * 2])
    start, end = max(0, pos - width), min(len(text), pos + len(first) + width)
    return ("…" if start else "") + mask_text(text[start:end].replace("\n", " ")) + ("…" if end < len(text) else "")


def try_rule(rule, limit: int = 1000, examples: int = 5, queryset=None) -> TryResult:
    """How many of the last ``limit`` orders (by receipt time) the rule — saved or not — would
    match, with a few examples. ``queryset`` restricts the orders (e.g. to a user's scope)."""
    from jidu.orders.models import WorkOrder

    validate_rule(rule)
    compiled = CompiledRule.from_rule(rule)
    qs = queryset if queryset is not None else WorkOrder.objects.all()
    rows = qs.order_by("-received_at", "-id").values_list("id", "order_no", "title", "content")[:limit]
    total = matched = 0
    found: list[dict] = []
    for pk, order_no, title, content in rows.iterator(chunk_size=500):
        total += 1
        doc = Doc(title, content)
        evidence = compiled.match_doc(doc)
        if evidence is None:
            continue
        matched += 1
        if len(found) < examples:
            found.append({"id": pk, "order_no": order_no, "title": title, "evidence": evidence,
                          "snippet": _snippet(doc.text, evidence)})
    return TryResult(total, matched, found)
