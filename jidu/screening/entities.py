"""What an order names: businesses, unified social credit codes, money, places, phone and ID numbers.

Uses the ML package's ``jidu.screening.ml.extract.Extractor`` (without cpca) when it is there;
otherwise the small extractor below. Places are always resolved here, in one batch, against the
configured areas (names and aliases) and, for texts that name none of them, cpca.
Phone and ID numbers are only *counted* — so the page can say they were found and masked — never
stored.
"""

from __future__ import annotations

import logging
import re
import threading

from jidu.screening.rules import _normalize

log = logging.getLogger(__name__)

MAX_ITEMS = 10
_BUSINESS_SUFFIX = (
    "有限责任公司|股份有限公司|有限公司|公司|集团|大酒店|酒店|宾馆|饭店|旅馆|客栈|民宿|农家乐|大排档|排档|海鲜楼|海鲜馆|"
    "餐厅|餐馆|饭馆|食府|酒楼|小吃店|超市|商场|商行|商店|便利店|药店|药房|诊所|旅行社|培训学校|培训机构|"
    "幼儿园|专卖店|4s店|加油站|停车场|景区|度假村|渔家乐|水产店|水果店|店|厂|市场"
)
_BUSINESS_RE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9（）()·]{2,16}?(?:" + _BUSINESS_SUFFIX
                          + r")(?:(?:有限责任|股份有限|有限)?公司|分公司|分店)?)")
# Characters after which a business name cannot continue backwards (particles, verbs, prepositions).
_NAME_STOP_RE = re.compile(r".*(?:这家|那家|一家|[在的了到去从向于和与跟买住吃是被对给让把往说称问个位间我你他她它们这那该此其])")
_GENERIC = {"公司", "商店", "超市", "市场", "饭店", "酒店", "民宿", "景区", "店", "厂", "这家店", "该店", "那家店",
            "商家", "旅行社", "有限公司", "有限责任公司", "股份有限公司", "排档", "大排档", "药店", "诊所", "停车场", "加油站", "农家乐"}
_USCC_RE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_AMOUNT_RE = re.compile(r"(?:[¥￥]\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(万元|万|元|块钱|块|rmb))", re.IGNORECASE)
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
_ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def _longest(names: list[dict]) -> list[dict]:
    """Keep the longest of names that contain one another (海鲜排档 inside 沈家门海鲜排档)."""
    return [n for n in names if not any(n["name"] != o["name"] and n["name"] in o["name"] for o in names)]


def _extract_businesses(text: str) -> list[dict]:
    from stdnum.cn import uscc

    names: list[dict] = []
    seen = set()
    for m in _BUSINESS_RE.finditer(text):
        name = m.group(1)
        cut = _NAME_STOP_RE.match(name)
        if cut:
            name = name[cut.end():]
        if len(name) < 3 or name in _GENERIC or name in seen:
            continue
        seen.add(name)
        names.append({"name": name})
        if len(names) >= MAX_ITEMS:
            break
    names = _longest(names)
    codes = []
    for m in _USCC_RE.finditer(text.upper()):
        code = m.group(0)
        if uscc.is_valid(code) and code not in codes:
            codes.append(code)
    for code in codes[:MAX_ITEMS]:
        names.append({"name": "", "uscc": code})
    return names


def _extract_amounts(text: str) -> list[float]:
    amounts: list[float] = []
    for m in _AMOUNT_RE.finditer(text):
        number = m.group(1) or m.group(2)
        try:
            value = float(number)
        except (TypeError, ValueError):
            continue
        if m.group(3) and m.group(3).startswith("万"):
            value *= 10_000
        if 0 < value < 1e10 and value not in amounts:
            amounts.append(round(value, 2))
        if len(amounts) >= MAX_ITEMS:
            break
    return amounts


def _count_ids(text: str) -> int:
    # Counted whether or not the check digit is right: a mistyped ID number is still personal data.
    return len(_ID_RE.findall(text))


# ---- places ------------------------------------------------------------------------------------
class _AreaIndex:
    """Configured area names and aliases → Area (cached per process; reset when areas change)."""

    def __init__(self):
        from jidu.org.models import Area

        entries: dict[str, tuple[int, str, str]] = {}
        self.by_code: dict[str, tuple[int, str, str]] = {}
        for pk, code, name, kind, aliases in Area.objects.filter(active=True).values_list(
                "pk", "code", "name", "kind", "aliases"):
            self.by_code[code] = (pk, code, name)
            entries.setdefault(name, (pk, code, name))
            for alias in aliases or []:
                alias = (alias or "").strip()
                # Two-character aliases of towns/streets (解放, 城东, 新城) are ordinary words too:
                # only districts, counties and the city are matched by their short names.
                if len(alias) >= 3 or (len(alias) == 2 and kind in ("city", "district", "county")):
                    entries.setdefault(alias, (pk, code, name))
        self.terms = sorted(entries, key=len, reverse=True)
        self.entries = entries
        self.regex = re.compile("|".join(re.escape(t) for t in self.terms)) if self.terms else None


_INDEX: _AreaIndex | None = None
_LOCK = threading.Lock()


def reset_area_index() -> None:
    global _INDEX
    _INDEX = None


def _area_index() -> _AreaIndex:
    global _INDEX
    if _INDEX is None:
        with _LOCK:
            if _INDEX is None:
                _INDEX = _AreaIndex()
    return _INDEX


def _cpca_places(texts: list[str]) -> list[list[dict]]:
    """Districts cpca finds (national place list), resolved by adcode to configured areas."""
    try:
        import cpca
    except ImportError:  # pragma: no cover
        return [[] for _ in texts]
    index = _area_index()
    try:
        frame = cpca.transform([t[:300] for t in texts])
    except Exception:  # cpca must never stop screening
        log.exception("cpca failed")
        return [[] for _ in texts]
    out = []
    for _prov, city, dist, adcode in frame[["省", "市", "区", "adcode"]].itertuples(index=False, name=None):
        places = []
        name = dist if isinstance(dist, str) else city if isinstance(city, str) else None
        code = adcode if isinstance(adcode, str) else None
        if name:
            hit = index.by_code.get(code or "")
            places.append({"name": hit[2] if hit else name, "area_id": hit[0] if hit else None,
                           "area_code": hit[1] if hit else code, "source": "cpca"})
        out.append(places)
    return out


def warm_up() -> None:
    """Load what extraction loads on first use -- the ML extractor and cpca's national place
    list (about 0.1 s) -- so a worker pays it once, with the model, not inside its first batch."""
    _ml_extractor()
    try:
        import cpca

        cpca.transform(["浙江省舟山市普陀区"])
    except Exception:  # cpca must never stop screening
        log.warning("cpca could not be loaded", exc_info=True)


def extract_places(texts: list[str]) -> list[list[dict]]:
    index = _area_index()
    results: list[list[dict]] = []
    missing: list[int] = []
    for i, text in enumerate(texts):
        places, seen = [], set()
        if index.regex is not None:
            for m in index.regex.finditer(text):
                pk, code, name = index.entries[m.group(0)]
                if pk in seen:
                    continue
                seen.add(pk)
                places.append({"name": name, "mention": m.group(0), "area_id": pk, "area_code": code})
                if len(places) >= MAX_ITEMS:
                    break
        results.append(places)
        if not places and re.search(r"[省市区县]", text):
            missing.append(i)
    if missing:
        for i, places in zip(missing, _cpca_places([texts[i] for i in missing]), strict=True):
            results[i] = places
    return results


_ML_EXTRACTOR = None
_ML_CHECKED = False


def _ml_extractor():
    """The ML package's Extractor (businesses, credit codes, money, phones, IDs), without cpca:
    places are resolved here, against the configured areas, in one batch."""
    global _ML_EXTRACTOR, _ML_CHECKED
    if not _ML_CHECKED:
        try:
            from jidu.screening.ml.extract import Extractor

            _ML_EXTRACTOR = Extractor(use_cpca=False)
        except Exception:  # ImportError, or an incompatible signature: use the built-in one
            _ML_EXTRACTOR = None
        _ML_CHECKED = True
    return _ML_EXTRACTOR


def _from_ml(ent) -> dict:
    """The ML Entities → our stored keys; phone and ID numbers only counted."""
    businesses, seen = [], set()
    for span in ent.businesses:
        name = str(span.value or span.text)
        if name not in seen:
            seen.add(name)
            businesses.append({"name": name})
    businesses = _longest(businesses)
    for span in ent.credit_codes:
        businesses.append({"name": "", "uscc": str(span.value)})
    amounts = []
    for span in ent.money:
        if span.value is not None and float(span.value) not in amounts:
            amounts.append(float(span.value))
    return {"businesses": businesses[: MAX_ITEMS * 2], "amounts": amounts[:MAX_ITEMS],
            "phones": len(ent.phones), "id_numbers": len(ent.id_numbers)}


def extract_many(texts: list[tuple[str, str]]) -> list[dict]:
    """Entities for (title, content) pairs."""
    # Title and content normalised one by one (shared with the rules' and the model's view).
    joined = [" ".join(p for p in (_normalize(t, max_chars=20_000), _normalize(c, max_chars=20_000)) if p)
              for t, c in texts]
    places = extract_places(joined)
    extractor = _ml_extractor()
    out = []
    for text, place_list in zip(joined, places, strict=True):
        data = None
        if extractor is not None:
            try:
                data = _from_ml(extractor.extract(text))
            except Exception:
                log.exception("ml extract failed; using the built-in extractor")
        if data is None:
            data = {"businesses": _extract_businesses(text), "amounts": _extract_amounts(text),
                    "phones": len(_MOBILE_RE.findall(text)) + len(_LANDLINE_RE.findall(text)),
                    "id_numbers": _count_ids(text)}
        data["places"] = place_list
        out.append(data)
    return out
