"""Text normalisation for screening (pure Python, no Django).

Every text that reaches the classifier or the entity extractor goes through here, so that
traditional characters, full-width forms, emoji, control characters, odd whitespace and
very long inputs are handled in one place.

Two flavours:

* :func:`normalize` -- for the classifier. Traditional -> simplified (phrase-aware, via the
  pinned pure-Python ``zhconv`` package, whose tables ship inside the wheel: no download),
  full-width -> half-width, emoji / control / private-use characters removed, whitespace
  collapsed, optionally capped in length. The output length may differ from the input.
* :func:`fold_chars` -- for entity extraction. A strictly *length-preserving* character map
  (single-character traditional -> simplified and full-width -> half-width), so that spans
  found on the folded text are valid offsets into the caller's original text.
"""

from __future__ import annotations

import functools
import re
import threading

__all__ = [
    "MODEL_MAX_CHARS",
    "MIN_CONTENT_UNITS",
    "normalize",
    "model_text",
    "fold_chars",
    "cap",
    "content_units",
    "too_short",
    "too_short_parts",
    "model_text_too_short",
    "has_traditional",
]

# Texts longer than this are cut before vectorising: head + tail (see :func:`cap`).
# 3,000 characters cover > 95 % of real hotline / message-board texts whole; the rest is
# padding, forwarded threads or pasted documents whose opening carries the matter.
MODEL_MAX_CHARS = 3000

# A text with fewer content units (CJK characters + latin words) than this is "too short to
# judge": the screener flags it instead of guessing.
MIN_CONTENT_UNITS = 5
MIN_DISTINCT_UNITS = 3

# --- character classes ---------------------------------------------------------------------
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0xFFE5] = ord("¥")  # full-width yen/yuan sign
_FULLWIDTH[0xFFE0] = ord("¢")
_FULLWIDTH[0xFFE1] = ord("£")

# Emoji and pictographs, variation selectors, zero-width and bidi controls, tag characters,
# private-use and lone surrogates, C0/C1 controls (tab/newline/CR are whitespace and are
# collapsed separately).
_JUNK_RE = re.compile(
    "["
    "\U0001F000-\U0001FAFF"  # emoji, symbols & pictographs, mahjong/cards, flags
    "\U0001FC00-\U0001FFFF"
    "\u2600-\u27BF"  # misc symbols, dingbats
    "\u2B00-\u2BFF"  # misc symbols and arrows
    "\u2190-\u21FF"  # arrows
    "\u2300-\u23FF"  # misc technical (watch, hourglass ...)
    "\u25A0-\u25FF"  # geometric shapes (bullets)
    "\u3030\u303D\u3297\u3299"
    "\uFE00-\uFE0F"  # variation selectors
    "\u200B-\u200F\u2028-\u202F\u2060-\u206F\uFEFF"  # zero-width, bidi, word joiner, BOM
    "\u20E3"  # combining keycap
    "\U000E0000-\U000E007F"  # tags
    "\U000E0100-\U000E01EF"  # variation selectors supplement
    "\uE000-\uF8FF"  # private use
    "\ud800-\udfff"  # lone surrogates (from bad decoding)
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "]+"
)
_WS_RE = re.compile(r"\s+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")
# Everything that is not a letter/digit/CJK character; removed for the model's view.
_NON_WORD_RE = re.compile(r"[\W_]+")

# --- traditional -> simplified tables (loaded lazily from zhconv, thread-safe) -------------
_T2S_LOCK = threading.Lock()
_T2S_CHARS: dict[int, int] | None = None
_TRAD_SET: frozenset[str] | None = None


def _load_t2s() -> tuple[dict[int, int], frozenset[str]]:
    global _T2S_CHARS, _TRAD_SET
    if _T2S_CHARS is None:
        with _T2S_LOCK:
            if _T2S_CHARS is None:
                from zhconv import zhconv as _zh  # pure Python, tables inside the wheel

                table = _zh.getdict("zh-cn")
                chars: dict[int, int] = {}
                for src, dst in table.items():
                    if len(src) == 1 and len(dst) == 1 and src != dst:
                        chars[ord(src)] = ord(dst)
                # Characters that only occur inside multi-character traditional phrases still
                # mark a text as traditional.
                trad = {chr(c) for c in chars}
                _TRAD_SET = frozenset(trad)
                _T2S_CHARS = chars
    return _T2S_CHARS, _TRAD_SET  # type: ignore[return-value]


def warm_up() -> None:
    """Load the conversion tables now (the screener calls this at load time)."""
    _load_t2s()


def has_traditional(text: str) -> bool:
    _, trad = _load_t2s()
    return not trad.isdisjoint(text)


def _t2s(text: str) -> str:
    if not has_traditional(text):
        return text
    from zhconv import convert

    return convert(text, "zh-cn")


def fold_chars(text: str | None) -> str:
    """Length-preserving fold: traditional -> simplified (char by char) and full-width ->
    half-width. ``len(fold_chars(t)) == len(t)`` always holds."""
    if not text:
        return ""
    chars, _ = _load_t2s()
    out = text.translate(_FULLWIDTH)
    if has_traditional(out):
        out = out.translate(chars)
    return out


def cap(text: str, limit: int = MODEL_MAX_CHARS) -> str:
    """Cut ``text`` to at most ``limit`` characters: 80 % from the head, 20 % from the tail
    (the opening names the matter; the end often holds the demand)."""
    if limit <= 0 or len(text) <= limit:
        return text
    head = int(limit * 0.8)
    tail = limit - head - 1
    return text[:head] + " " + text[len(text) - tail:] if tail > 0 else text[:limit]


def normalize(text: str | None, max_chars: int | None = None) -> str:
    """Normalise any input for display-independent processing.

    Never raises on ``str`` input (``None`` gives ``""``; other objects are ``str()``-ed).
    ``max_chars`` caps the *input* before the expensive steps, then the output again.
    Texts of up to ``MEMO_MAX_CHARS`` are remembered (the same title and content are normalised
    by the model, the rules, the entity extractor and the too-short check of one screening).
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    n = len(text)
    if n <= MEMO_MAX_CHARS and (not max_chars or n <= max_chars * 2):  # the input cap would not cut
        out = _normalize_memo(text)
        return cap(out, max_chars) if max_chars else out
    if max_chars:
        # Cap early (with a margin for removed junk) so 50,000-char inputs stay cheap.
        text = cap(text, max_chars * 2)
    text = _normalize_uncapped(text)
    if max_chars:
        text = cap(text, max_chars)
    return text


MEMO_MAX_CHARS = 2_000


def _normalize_uncapped(text: str) -> str:
    text = text.translate(_FULLWIDTH)
    text = _JUNK_RE.sub(" ", text)
    text = _t2s(text)
    return _WS_RE.sub(" ", text).strip()


_normalize_memo = functools.lru_cache(maxsize=4096)(_normalize_uncapped)


def model_text(title: str | None, content: str | None, max_chars: int = MODEL_MAX_CHARS) -> str:
    """The string the classifier sees: normalised title + content with whitespace and
    punctuation removed (the training corpora come partly pre-tokenised without punctuation,
    so removing it puts every source on the same footing), capped to ``max_chars``."""
    t = normalize(title, max_chars=max_chars)
    c = normalize(content, max_chars=max_chars)
    joined = f"{t} {c}" if t and c and not c.startswith(t) else (c or t)
    return cap(_NON_WORD_RE.sub("", joined), max_chars)


def content_units(text: str | None) -> tuple[int, int]:
    """(units, distinct units) where a unit is a CJK character or a latin word."""
    units = _unit_list(normalize(text, max_chars=MODEL_MAX_CHARS)) if text else []
    return len(units), len(set(units))


def _unit_list(t: str) -> list[str]:
    return _CJK_RE.findall(t) + [w.lower() for w in _LATIN_WORD_RE.findall(t)]


def _too_few(texts, min_units: int) -> bool:
    """Fewer than ``min_units`` units (CJK characters, latin words) in the normalised ``texts``
    together, or fewer than MIN_DISTINCT_UNITS distinct ones. The units are counted until both
    minimums are reached, so a long text costs no more than its first few words (the same answer
    as counting ``_unit_list`` whole: count and distinct set do not depend on the order)."""
    count, seen = 0, set()
    for t in texts:
        if not t:
            continue
        for m in _CJK_RE.finditer(t):
            count += 1
            seen.add(m.group())
            if count >= min_units and len(seen) >= MIN_DISTINCT_UNITS:
                return False
        for m in _LATIN_WORD_RE.finditer(t):
            count += 1
            seen.add(m.group().lower())
            if count >= min_units and len(seen) >= MIN_DISTINCT_UNITS:
                return False
    return True


def model_text_too_short(mt: str, min_units: int = MIN_CONTENT_UNITS) -> bool:
    """``too_short`` of a text that :func:`model_text` made (already normalised, not again)."""
    return _too_few((mt,), min_units)


def too_short_parts(*parts: str | None, min_units: int = MIN_CONTENT_UNITS) -> bool:
    """``too_short`` of the parts joined by a space (title, content), each part normalised on its
    own (so the normalisation is shared with the model's and the rules' view of the same text)."""
    return _too_few([normalize(part, max_chars=MODEL_MAX_CHARS) for part in parts if part], min_units)


def too_short(text: str | None, min_units: int = MIN_CONTENT_UNITS) -> bool:
    """True when ``text`` carries too little content to judge (fewer than ``min_units``
    CJK characters / latin words, or almost no distinct ones, e.g. "啊啊啊啊啊")."""
    return _too_few((normalize(text, max_chars=MODEL_MAX_CHARS),) if text else (), min_units)
