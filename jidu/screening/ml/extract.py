"""Entity extraction from an order's text (pure Python, no Django).

Finds what a supervisor needs to group and act on clues, and what must be masked:

* ``business``  -- names ending in 有限公司 / 公司 / 店 / 民宿 / 酒店 / 宾馆 / 饭店 / 排档 / 超市 /
  商行 / 旅行社 ... (conservative: leading verbs / prepositions are cut off, generic heads such as
  "该酒店" / "一家店" are rejected), plus quoted names after 名为 / 叫 / 招牌;
* ``uscc``      -- unified social credit codes, checksum-validated with ``stdnum.cn.uscc``
  (look-alikes that fail validation are kept apart in ``Entities.invalid_codes``);
* ``money``     -- amounts in arabic or Chinese numerals with 元 / 万元 / 块 (``value`` in yuan);
* ``phone``     -- mobile and landline numbers validated with ``phonenumbers`` (to be masked);
* ``id_number`` -- resident ID numbers validated with ``stdnum.cn.ric`` (to be masked);
* ``place``     -- province / city / district resolved by ``cpca`` (``value`` = adcode) and the
  caller's own place names (e.g. 朱家尖, 沈家门, 普陀山; ``value`` = what the caller mapped).

Offsets are into the caller's original text: matching runs on a length-preserving fold
(traditional -> simplified, full-width -> half-width), so ``text[start:end] == span.text``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping

from .text import fold_chars

__all__ = ["Span", "Entities", "Extractor", "extract", "parse_chinese_number", "parse_money", "mask"]

MAX_EXTRACT_CHARS = 100_000  # longer texts are scanned up to this offset only


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    kind: str  # business | uscc | money | phone | id_number | place
    value: Any = None
    valid: bool = True


@dataclass
class Entities:
    spans: list[Span] = field(default_factory=list)
    invalid_codes: list[Span] = field(default_factory=list)
    province: str | None = None
    city: str | None = None
    district: str | None = None
    adcode: str | None = None

    def of(self, kind: str) -> list[Span]:
        return [s for s in self.spans if s.kind == kind]

    @property
    def businesses(self) -> list[Span]:
        return self.of("business")

    @property
    def credit_codes(self) -> list[Span]:
        return self.of("uscc")

    @property
    def money(self) -> list[Span]:
        return self.of("money")

    @property
    def phones(self) -> list[Span]:
        return self.of("phone")

    @property
    def id_numbers(self) -> list[Span]:
        return self.of("id_number")

    @property
    def places(self) -> list[Span]:
        return self.of("place")

    @property
    def max_amount(self) -> float | None:
        vals = [s.value for s in self.money if s.value is not None]
        return max(vals) if vals else None

    def to_dict(self) -> dict[str, Any]:
        return {"spans": [asdict(s) for s in self.spans], "invalid_codes": [asdict(s) for s in self.invalid_codes],
                "province": self.province, "city": self.city, "district": self.district, "adcode": self.adcode}


# ------------------------------------------------------------------------------------------
# Chinese numerals and money
# ------------------------------------------------------------------------------------------
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3, "四": 4,
              "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_NUM_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)


def parse_chinese_number(s: str) -> int | None:
    """'三千五百' -> 3500, '两万' -> 20000, '十五' -> 15, '一百零八' -> 108, '壹拾' -> 10,
    '三五' -> 35 (digit-by-digit). None if ``s`` is not a Chinese numeral."""
    if not s or any(ch not in _CN_NUM_CHARS for ch in s):
        return None
    if not any(ch in _CN_UNITS or ch in _CN_BIG for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total = (total + section) * _CN_BIG[ch] if _CN_BIG[ch] > 10_000 else total + section * _CN_BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MONEY_RE = re.compile(
    rf"(?:(?P<yen>[¥￥]|人民币)\s*(?P<num0>{_AR})(?:\s*(?P<mul0>万|千|百)?(?:元|块)?))"
    rf"|(?<![\d.])(?P<num>{_AR})\s*(?P<approx>多|余)?\s*(?P<mul>万|千|百)?\s*(?P<approx2>多|余)?\s*(?P<unit>元|块钱|块|圆)"
    rf"|(?P<cn>[{_CN_NUM_CHARS}]{{1,12}})\s*(?P<approx3>多|余)?\s*(?P<unit2>元|块钱|块|圆)"
)
_MUL = {"万": 10_000, "千": 1000, "百": 100, None: 1, "": 1}
# Every _MONEY_RE match holds a currency sign, "人民币" or a unit; every number pattern a digit.
_MONEY_HINT_RE = re.compile("[¥￥元块圆]|人民币")
_ANY_DIGIT_RE = re.compile(r"\d")


def parse_money(s: str) -> float | None:
    """Value in yuan of one amount expression ('3万元', '1,200元', '两千五百块', '¥88')."""
    m = _MONEY_RE.search(s)
    return _money_value(m) if m else None


def _money_value(m: re.Match) -> float | None:
    if m.group("num0"):
        return float(m.group("num0").replace(",", "")) * _MUL[m.group("mul0")]
    if m.group("num"):
        return float(m.group("num").replace(",", "")) * _MUL[m.group("mul")]
    cn = m.group("cn")
    # strip leading characters that are numerals only by accident (e.g. '一百元' is fine,
    # '万一' is not a number): parse the longest parseable suffix
    for k in range(len(cn)):
        part = cn[k:]
        if part[0] in _CN_BIG:
            continue
        v = parse_chinese_number(part)
        if v is not None and v > 0:
            return float(v)
    return None


# ------------------------------------------------------------------------------------------
# Codes, phones, IDs
# ------------------------------------------------------------------------------------------
_USCC_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}\d{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}"
                      r"(?![0-9A-Za-z])")
_RIC_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![\dA-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![\dA-Za-z])")
_LANDLINE_RE = re.compile(r"(?<![\dA-Za-z])(?:\(0\d{2,3}\)|0\d{2,3})[- ]?[2-9]\d{6,7}(?:[-转]\d{1,5})?(?![\dA-Za-z])")


def _valid_ric(s: str) -> bool:
    from stdnum.cn import ric

    try:
        return bool(ric.is_valid(s))
    except Exception:  # noqa: BLE001 - stdnum raises on odd dates in some versions
        return False


def _id_shaped(s: str) -> bool:
    """Region code + a real birth date (1900-2099): shaped like a resident ID number."""
    import datetime as _dt

    if not (s[:17].isdigit() and s[0] in "123456789" and s[6:8] in ("19", "20")):
        return False
    try:
        _dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
        return True
    except ValueError:
        return False


def _valid_uscc(s: str) -> bool:
    from stdnum.cn import uscc

    try:
        return bool(uscc.is_valid(s))
    except Exception:  # noqa: BLE001
        return False


def _valid_phone(s: str) -> bool:
    import phonenumbers

    digits = re.sub(r"[^\d+]", "", s.split("转")[0])
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, "CN"))
    except phonenumbers.NumberParseException:
        return False


# ------------------------------------------------------------------------------------------
# Businesses
# ------------------------------------------------------------------------------------------
BUSINESS_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "分公司", "公司", "旅行社", "民宿", "客栈", "酒店", "大酒店", "宾馆",
    "饭店", "大排档", "排档", "酒家", "餐厅", "餐馆", "食府", "农家乐", "超市", "商场", "商行", "商店", "商铺", "药店",
    "药房", "门诊部", "诊所", "网吧", "KTV", "ktv", "会所", "浴场", "洗浴中心", "酒吧", "茶楼", "加油站", "驾校",
    "培训学校", "培训中心", "培训机构", "物业", "工厂", "厂", "作坊", "专卖店", "旗舰店", "便利店", "店",
)
_SUFFIX_ALT = "|".join(sorted((re.escape(s) for s in set(BUSINESS_SUFFIXES)), key=len, reverse=True))
_CHAIN = "股份有限公司|有限责任公司|有限公司|分公司|公司|分店"
_BUSINESS_RE = re.compile(rf"[\u4e00-\u9fffA-Za-z0-9·&]{{1,24}}?(?:{_SUFFIX_ALT})(?:{_CHAIN})*"
                          rf"(?:（[\u4e00-\u9fff]{{1,8}}店?）|\([\u4e00-\u9fff]{{1,8}}店?\))?")
_SUFFIX_RE = re.compile(_SUFFIX_ALT)


def business_matches(text: str):
    """Exactly ``_BUSINESS_RE.finditer(text)``, faster: a match needs a suffix 1–24 characters
    after its start, so the (backtracking) name pattern is only tried from 24 characters before
    the next suffix. No match can start earlier: its suffix would come before that next one."""
    pos = 0
    while True:
        suffix = _SUFFIX_RE.search(text, pos + 1)
        if suffix is None:
            return
        m = _BUSINESS_RE.search(text, max(pos, suffix.start() - 24))
        if m is None:
            return
        yield m
        pos = m.end()


_QUOTED_RE = re.compile(r"(?:名为|名叫|叫做|叫|招牌为?|店名为?)[“\"‘'「『]([^”\"’'」』]{2,24})[”\"’'」』]")

# Leading words that are not part of a name: the name starts after their last occurrence in
# the part before the suffix. Only words that (almost) never occur inside a business name.
_BREAKERS = (
    "的", "在", "是", "了", "到", "去", "从", "向", "对", "被", "把", "给", "跟", "说", "吃饭", "入住", "住在", "购买",
    "买了", "订了", "预订", "消费", "投诉", "举报", "反映", "位于", "来自", "名为", "一家", "这家", "那家", "该", "此",
    "经过", "通过", "其中", "要求", "希望", "附近", "旁边", "对面", "门口", "发现", "我们", "我", "你", "他", "她",
    "以及", "还有", "并且", "而且", "但是", "因为", "所以", "如果", "这个", "那个", "一个", "关于", "针对", "请",
)
_BREAK_RE = re.compile("|".join(sorted(map(re.escape, _BREAKERS), key=len, reverse=True)))
_SUFFIX_END_RE = re.compile(rf"(?:{_SUFFIX_ALT})(?:{_CHAIN})*(?:（[^（）]*）|\([^()]*\))?$")
# Names that are only a generic head or a determiner + suffix are rejected.
_GENERIC_PREFIX = re.compile(r"^(?:[一二两三几多每各本该此这那某家小大老新总分黑]|[0-9]+|某某)*$")
_GENERIC_NAMES = {"公司", "商店", "酒店", "饭店", "宾馆", "民宿", "超市", "商场", "网吧", "物业", "工厂", "店", "厂",
                  "药店", "诊所", "商行", "餐厅", "餐馆", "排档", "大排档", "客栈", "旅行社", "门店", "分店", "总店",
                  "小店", "网店", "实体店", "商铺", "物业公司", "开发商", "装修公司", "快递公司", "保险公司",
                  "旅游公司", "出租车公司", "公交公司", "房地产公司", "开发公司", "施工单位", "自来水公司", "燃气公司",
                  "供电公司", "电力公司", "物流公司", "中介公司", "家政公司", "黑店", "小吃店", "水果店", "海鲜店",
                  "建筑公司", "劳务公司", "物业服务公司", "培训机构", "培训学校", "加油站", "驾校", "化工厂", "养殖场"}


def _clean_business(cand: str) -> tuple[int, str] | None:
    """(offset into cand, name) or None when the candidate is too generic."""
    m = _SUFFIX_END_RE.search(cand)
    if not m:
        return None
    head = cand[: m.start()]
    cut = 0
    for b in _BREAK_RE.finditer(head):
        cut = b.end()
    name = cand[cut:]
    head = head[cut:]
    if name in _GENERIC_NAMES or len(name) < 3 or "某" in name:
        return None
    if _GENERIC_PREFIX.match(head):
        return None
    suffix = m.group(0)
    # single-character suffixes (店 / 厂) need a longer, specific head
    if suffix in ("店", "厂") and len(head) < 2:
        return None
    return cut, name


# ------------------------------------------------------------------------------------------
# Places
# ------------------------------------------------------------------------------------------
_SUFFIX_STRIP = ("特别行政区", "自治区", "自治州", "自治县", "省", "市", "区", "县", "州", "盟", "旗")


def _admin_span(text: str, pos: int, name: str) -> tuple[int, int] | None:
    if pos is None or pos < 0 or not isinstance(name, str):
        return None
    short = name
    for s in _SUFFIX_STRIP:
        if short.endswith(s) and len(short) > len(s) + 1:
            short = short[: -len(s)]
            break
    for cand in (name, short):
        if text.startswith(cand, pos):
            return pos, pos + len(cand)
    return None


class Extractor:
    """Reusable extractor; ``places`` are the city's own place names (an iterable of names, or
    a mapping name -> value such as an area code)."""

    def __init__(self, places: Iterable[str] | Mapping[str, Any] | None = None, use_cpca: bool = True):
        if places is None:
            places = {}
        self.places: dict[str, Any] = dict(places) if isinstance(places, Mapping) else {p: p for p in places}
        self.use_cpca = use_cpca
        self._auto = None
        if self.places:
            try:
                import ahocorasick

                auto = ahocorasick.Automaton()
                for name in self.places:
                    if name:
                        auto.add_word(fold_chars(name), name)
                auto.make_automaton()
                self._auto = auto
            except ImportError:  # pragma: no cover
                self._auto = None

    def __call__(self, text: str | None) -> Entities:
        return self.extract(text)

    def extract(self, text: str | None) -> Entities:
        if not text:
            return Entities()
        if not isinstance(text, str):
            text = str(text)
        original = text
        folded = fold_chars(text[:MAX_EXTRACT_CHARS])
        spans: list[Span] = []
        invalid: list[Span] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in taken)

        def add(s: int, e: int, kind: str, value=None) -> None:
            spans.append(Span(s, e, original[s:e], kind, value))
            taken.append((s, e))

        # Most messages hold no digit and no money word: the patterns that need one are skipped
        # (each needs what its hint looks for, so the result is the same; a third of the time).
        has_digit = _ANY_DIGIT_RE.search(folded) is not None
        # ID numbers first (an 18-digit ID also fits the credit-code alphabet)
        for m in _RIC_RE.finditer(folded) if has_digit else ():
            num = m.group(0).upper()
            if _valid_ric(num):
                add(m.start(), m.end(), "id_number", num)
            elif _id_shaped(num):
                # a plausible ID with a wrong check digit (typo): not valid, but still masked
                spans.append(Span(m.start(), m.end(), original[m.start():m.end()], "id_number", num, False))
                taken.append((m.start(), m.end()))
        for m in _USCC_RE.finditer(folded) if has_digit else ():
            if not free(m.start(), m.end()):
                continue
            code = m.group(0).upper()
            if _valid_uscc(code):
                add(m.start(), m.end(), "uscc", code)
            elif not code.isdigit():
                invalid.append(Span(m.start(), m.end(), original[m.start():m.end()], "uscc", code, False))
        for rx in (_MOBILE_RE, _LANDLINE_RE) if has_digit else ():
            for m in rx.finditer(folded):
                if free(m.start(), m.end()) and _valid_phone(m.group(0)):
                    add(m.start(), m.end(), "phone", re.sub(r"[^\d]", "", m.group(0).split("转")[0]))
        for m in _MONEY_RE.finditer(folded) if _MONEY_HINT_RE.search(folded) else ():
            if not free(m.start(), m.end()):
                continue
            v = _money_value(m)
            if v is None:
                continue
            s = m.start()
            if m.group("cn"):
                # trim leading chars that were not part of the parsed number
                cn = m.group("cn")
                for k in range(len(cn)):
                    part = cn[k:]
                    if part[0] not in _CN_BIG and parse_chinese_number(part) is not None:
                        s = m.start("cn") + k
                        break
            add(s, m.end(), "money", v)
        ent = Entities(spans=spans, invalid_codes=invalid)
        # places: the caller's own names, then cpca's province / city / district
        if self._auto is not None:
            found = sorted(((end - len(name) + 1, end + 1, name) for end, name in self._auto.iter(folded)),
                           key=lambda t: (t[0], -(t[1] - t[0])))
            for s, e, name in found:
                if free(s, e):
                    add(s, e, "place", self.places[name])
        if self.use_cpca:
            self._cpca(folded, original, ent, free, add)
        # businesses last (they may contain a place name: a business wins over a place inside it)
        for m in _QUOTED_RE.finditer(folded):
            s, e = m.start(1), m.end(1)
            self._add_business(spans, taken, original, s, e)
        for m in business_matches(folded):
            cleaned = _clean_business(m.group(0))
            if cleaned is None:
                continue
            off, name = cleaned
            s = m.start() + off
            self._add_business(spans, taken, original, s, s + len(name))
        spans.sort(key=lambda sp: (sp.start, sp.end))
        ent.spans = spans
        return ent

    @staticmethod
    def _add_business(spans, taken, original, s, e) -> None:
        # drop places / other businesses inside the name; skip if it overlaps codes or numbers
        for sp in list(spans):
            if sp.start >= s and sp.end <= e and sp.kind in ("place", "business"):
                spans.remove(sp)
                taken.remove((sp.start, sp.end))
            elif not (e <= sp.start or s >= sp.end):
                return
        spans.append(Span(s, e, original[s:e], "business", original[s:e]))
        taken.append((s, e))

    @staticmethod
    def _cpca(folded, original, ent, free, add) -> None:
        try:
            import cpca
        except ImportError:  # pragma: no cover
            return
        try:
            df = cpca.transform([folded[:2000]], pos_sensitive=True)
        except Exception:  # noqa: BLE001 - never fail screening because of the place parser
            return
        row = df.iloc[0].to_dict()

        def val(k):
            v = row.get(k)
            return v if isinstance(v, str) and v else None

        ent.province, ent.city, ent.district, ent.adcode = val("省"), val("市"), val("区"), val("adcode")
        for level, key in (("province", "省"), ("city", "市"), ("district", "区")):
            name = val(key)
            pos = row.get(f"{key}_pos")
            if name is None or pos is None:
                continue
            span = _admin_span(folded, int(pos), name)
            if span and free(*span):
                add(span[0], span[1], "place", {"level": level, "name": name, "adcode": ent.adcode})


_DEFAULT = None


def extract(text: str | None, places: Iterable[str] | Mapping[str, Any] | None = None, use_cpca: bool = True) -> Entities:
    """One-off extraction. For many texts with the same place list, reuse an :class:`Extractor`."""
    global _DEFAULT
    if places is None and use_cpca:
        if _DEFAULT is None:
            _DEFAULT = Extractor()
        return _DEFAULT.extract(text)
    return Extractor(places, use_cpca).extract(text)


def mask(text: str, entities: Entities | None = None, kinds: Iterable[str] = ("phone", "id_number")) -> str:
    """Mask personal numbers: keep the first 3 and last 4 characters of phones / IDs."""
    if not text:
        return text or ""
    entities = entities or extract(text, use_cpca=False)
    kinds = set(kinds)
    out = list(text)
    for sp in entities.spans:
        if sp.kind not in kinds:
            continue
        if sp.kind == "phone":
            # landlines keep their area code, mobiles the first three digits
            keep_head = 4 if str(sp.value or "").startswith("0") else 3
            keep_tail = 4
        else:
            keep_head, keep_tail = 6, 4
        idx = [i for i in range(sp.start, sp.end) if text[i].isalnum()]
        for i in idx[keep_head: max(keep_head, len(idx) - keep_tail)]:
            out[i] = "*"
    return "".join(out)
