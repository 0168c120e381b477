"""Synthetic 12345 hotline stream for the Jidu demo.

Pure Python (no Django): ``generate_stream()`` yields *record versions* of hotline work orders,
with the canonical intake keys, sorted by ``updated_at``. An order appears once per change of its
life (受理 → 已派单 → 已签收 → … → 已回复 → 已回访 → 办结, with returns, extensions, 重办, 终止办理).

The stream is built in two deterministic stages:

1. *plan* (cheap): which orders exist — day, time, theme, area, business, event — from the
   calendar (weekdays, statutory holidays via ``chinese_calendar``, 观音 festivals via
   ``lunardate``, peak season), ferry suspensions and complaint clusters;
2. *render*: caller, texts (written here from templates with slots), departments and the
   lifecycle of every planned order.

``demo_events()`` / ``DEMO_EVENTS`` describe the injected events, a list of dicts:

* ``{"id": "FERRY-20261113", "kind": "ferry_suspension", "cause": "大风"|"台风", "start", "end"
  (ISO dates), "days", "areas": [suspended island towns], "area_codes": [...], "burst":
  {"problem_type": "退订退款纠纷", "theme": "ferry_refund", "start", "end", "areas": [...],
  "orders": n}, "order_nos": [the burst's refund complaints]}``
* ``{"id": "CLUSTER-...", "kind": "cluster", "theme", "problem_types": [...], "business":
  {"name", "legal_name", "uscc", "area", "area_code", "address"}, "area", "start", "end",
  "orders": n, "order_nos": [...], ("within": ferry event id)}``

``order_truth()`` gives the planned ground truth of every order (theme, enforcement, kind,
tourism, GUIDE field and problem types, business, events) for tests and model evaluation.
Every sentence is composed from the templates in this module; none comes from outside data.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import functools
import json
import math
import random
from pathlib import Path
from typing import Iterator

try:  # statutory holidays and make-up workdays (the package knows years up to its release)
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover - the package is a declared dependency
    _cc = None
try:  # lunar calendar for the 观音 festivals
    import lunardate as _lunardate
except ImportError:  # pragma: no cover
    _lunardate = None

__all__ = [
    "RECORD_KEYS", "DEFAULT_END", "DEFAULT_SEED", "REFERENCE_PATH", "load_reference",
    "generate_stream", "demo_events", "order_truth", "DEMO_EVENTS", "THEMES",
    "uscc_check_digit", "make_uscc", "id_check_digit",
]

RECORD_KEYS = (
    "order_no", "source", "order_type", "channel", "received_at", "caller_name", "caller_phone",
    "caller_id_number", "title", "content", "address", "area", "hotline_category", "lead_department",
    "co_departments", "status", "return_reason", "due_at", "reply_text", "replied_at",
    "callback_resolution", "callback_satisfaction", "callback_at", "updated_at",
)
DEFAULT_END = _dt.date(2026, 11, 26)
DEFAULT_SEED = 20261126
REFERENCE_PATH = Path(__file__).resolve().parents[1] / "org" / "data" / "zhoushan.json"

_TS = "%Y-%m-%d %H:%M:%S"


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------

def load_reference(path: str | Path | None = None) -> dict:
    """Read a city reference file (the format of ``jidu/org/data/zhoushan.json``)."""
    return json.loads(Path(path or REFERENCE_PATH).read_text(encoding="utf-8"))


class _Ref:
    """Indexes over a reference dict used by the generator."""

    def __init__(self, data: dict):
        self.data = data
        self.city = data["city"]
        self.areas = {a["code"]: a for a in data["areas"]}
        self.area_by_name = {a["name"]: a for a in data["areas"]}
        self.children: dict[str, list[dict]] = {}
        for a in data["areas"]:
            if a.get("parent"):
                self.children.setdefault(a["parent"], []).append(a)
        self.deps = {d["code"]: d for d in data["departments"]}
        self.fields = {f["code"]: f for f in data["fields"]}
        self.field_by_name = {f["name"]: f for f in data["fields"]}
        self.problem_names = {p["name"] for p in data["problem_types"]}
        # department mirrors: (parent department code, area code) -> department
        self.mirror = {}
        self.by_area: dict[str, list[dict]] = {}
        for d in data["departments"]:
            if d.get("parent") and d.get("area"):
                self.mirror[(d["parent"], d["area"])] = d
            if d.get("area"):
                self.by_area.setdefault(d["area"], []).append(d)
        # functional zones and the towns they administer
        self.zone_of: dict[str, dict] = {}
        for a in data["areas"]:
            if a["kind"] == "zone":
                for code in a.get("covers", []):
                    self.zone_of[code] = a
        self.districts = [a for a in data["areas"] if a["kind"] in ("district", "county")]
        self.towns = [a for a in data["areas"] if a["kind"] in ("town", "street")]

    def district_of(self, code: str) -> dict | None:
        a = self.areas.get(code)
        while a is not None and a["kind"] not in ("district", "county"):
            a = self.areas.get(a.get("parent") or "")
        return a

    def short(self, area: dict) -> str:
        """Spoken form of an area name (朱家尖街道 → 朱家尖)."""
        al = area.get("aliases") or []
        return al[0] if al else area["name"]

    def town_office(self, area_code: str) -> dict | None:
        for d in self.by_area.get(area_code, ()):
            if d["level"] == "town":
                return d
        return None

    def zone_admin(self, zone_code: str) -> dict | None:
        for d in self.by_area.get(zone_code, ()):
            if d["level"] == "zone":
                return d
        return None

    def field_departments(self, field_code: str) -> list[dict]:
        f = self.fields.get(field_code)
        return [self.deps[c] for c in (f["departments"] if f else []) if c in self.deps]


# ---------------------------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------------------------

_HOLIDAY_ZH = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明",
    "Labour Day": "五一", "Dragon Boat Festival": "端午", "National Day": "国庆",
    "Mid-autumn Festival": "中秋",
}


@functools.lru_cache(maxsize=4096)
def _holiday(d: _dt.date) -> tuple[bool, bool, str | None]:
    """(is_workday, is_statutory_holiday, Chinese holiday name) for a date."""
    if _cc is not None:
        try:
            is_hol, name = _cc.get_holiday_detail(d)
        except NotImplementedError:  # year not in the package: plain weekday rule
            return d.weekday() < 5, False, None
        name_zh = _HOLIDAY_ZH.get(name) if name else None
        if is_hol and name_zh:
            return False, True, name_zh
        return (not is_hol), False, None
    return d.weekday() < 5, False, None


def _is_workday(d: _dt.date) -> bool:
    return _holiday(d)[0]


@functools.lru_cache(maxsize=64)
def _guanyin_days(year: int) -> tuple[_dt.date, ...]:
    """Solar dates of the three 观音 festivals (lunar 2/19, 6/19, 9/19) of a lunar year."""
    if _lunardate is None:  # pragma: no cover
        return ()
    out = []
    for month in (2, 6, 9):
        ld = _lunardate.LunarDate(year, month, 19)
        conv = getattr(ld, "to_solar_date", None) or ld.toSolarDate
        out.append(conv())
    return tuple(out)


class _Day:
    __slots__ = ("date", "workday", "holiday", "hname", "eve", "guanyin", "guanyin_near", "month",
                 "weekday", "first_after")

    def __init__(self, d: _dt.date):
        self.date = d
        self.workday, self.holiday, self.hname = _holiday(d)
        nxt = _holiday(d + _dt.timedelta(days=1))
        prev = _holiday(d - _dt.timedelta(days=1))
        self.eve = (not self.holiday) and nxt[1]
        self.first_after = self.workday and prev[1]  # first working day after a holiday
        gy = set(_guanyin_days(d.year)) | set(_guanyin_days(d.year - 1))
        self.guanyin = d in gy
        self.guanyin_near = (d - _dt.timedelta(days=1)) in gy or (d + _dt.timedelta(days=1)) in gy
        self.month = d.month
        self.weekday = d.weekday()


_MONTH_TOURISM = {1: 0.55, 2: 0.75, 3: 0.7, 4: 1.0, 5: 1.05, 6: 1.0, 7: 1.55, 8: 1.6, 9: 1.05,
                  10: 1.1, 11: 0.6, 12: 0.5}
_WEEKDAY_CIVIC = (1.16, 1.06, 1.02, 1.0, 0.96, 0.66, 0.6)


def _civic_factor(day: _Day) -> float:
    if day.holiday:
        return 0.5
    if not day.workday:
        return _WEEKDAY_CIVIC[day.weekday] if day.weekday >= 5 else 0.62
    f = _WEEKDAY_CIVIC[day.weekday] if day.weekday < 5 else 1.0  # make-up workday on a weekend
    if day.first_after:
        f *= 1.3
    return f


def _tourism_factor(day: _Day) -> float:
    f = _MONTH_TOURISM[day.month]
    if day.holiday:
        f *= 3.2 if day.hname in ("国庆", "五一", "春节") else 2.4
    elif day.eve:
        f *= 1.6
    elif not day.workday:
        f *= 1.7 if day.weekday == 5 else 1.35
    elif day.weekday == 4:
        f *= 1.1
    if day.guanyin:
        f *= 1.9
    elif day.guanyin_near:
        f *= 1.35
    return f


# ---------------------------------------------------------------------------------------------
# Identity numbers
# ---------------------------------------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_digit(first17: str) -> str:
    """Check character of a unified social credit code (GB 32100-2015)."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def _org_check_digit(body8: str) -> str:
    """Check character of an organisation code (GB 11714-1997)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def make_uscc(rng: random.Random, region: str, individual: bool = False) -> str:
    """A valid-format USCC: registration authority 9 (market regulation), type 1/2, region code,
    a new-style organisation code ('MA' + 6 characters + its GB 11714 check) and the check."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "MA" + rng.choice("23456789ABCDEFGH") + "".join(rng.choice(chars) for _ in range(5))
    first17 = ("92" if individual else "91") + region + body + _org_check_digit(body)
    return first17 + uscc_check_digit(first17)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_digit(first17: str) -> str:
    """Check digit of an 18-digit resident identity number (GB 11643, ISO 7064 MOD 11-2)."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


# Region codes used for identity numbers, with the first year each code existed (a number can
# only carry a code that existed when the holder was born).
_ID_REGIONS = (
    ("330902", 1987, 30), ("330903", 1987, 26), ("330921", 1987, 10), ("330922", 1987, 4),
    ("330203", 1983, 3), ("330226", 1983, 2), ("330282", 1989, 2), ("330327", 1981, 2),
    ("330782", 1989, 1), ("310115", 1992, 2), ("320583", 1989, 1), ("340104", 2002, 1),
    ("341221", 1996, 2), ("420111", 1983, 1), ("410105", 1983, 1), ("511602", 1998, 1),
    ("350583", 1993, 1), ("330122", 0, 2), ("330127", 0, 2), ("110105", 0, 1),
)
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150",
                    "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "176",
                    "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189",
                    "191", "195", "198", "199")
_SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶余潘杜戴夏钟汪田任姜范方石姚谭邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹易常武乔"
    "贺赖龚文虞应乐竺翁储俞舒包鲍严柴屠缪葛励"
)
_SURNAME_WEIGHTS = tuple(max(1, 30 - i // 3) for i in range(len(_SURNAMES)))
_GIVEN_M = "伟强磊军勇杰涛斌波明辉刚健峰建华国平志海东鹏飞浩宇俊凯文超亮晨旭阳林君立民永庆兵锋鑫"
_GIVEN_F = "芳娟敏静丽艳娜霞燕玲红梅英琴慧萍雪婷倩颖蓉佳琳洁露丹晶莉妍欣怡彤瑶蕾青凤月秀"


# ---------------------------------------------------------------------------------------------
# Small random helpers
# ---------------------------------------------------------------------------------------------

def _wchoice(rng: random.Random, items: dict | list, weights=None):
    """Weighted choice from a {item: weight} dict or parallel lists."""
    if isinstance(items, dict):
        keys = list(items)
        return rng.choices(keys, weights=list(items.values()))[0]
    return rng.choices(items, weights=weights)[0]


class _Chooser:
    """Fast repeated weighted choice over a fixed {item: weight} table."""

    __slots__ = ("keys", "cum", "total")

    def __init__(self, table: dict):
        self.keys = list(table)
        acc, cum = 0.0, []
        for w in table.values():
            acc += w
            cum.append(acc)
        self.cum, self.total = cum, acc

    def pick(self, rng: random.Random):
        return self.keys[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _fmt(ts: _dt.datetime | None) -> str | None:
    return ts.strftime(_TS) if ts is not None else None


def _cn_num(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


# ---------------------------------------------------------------------------------------------
# Places (keyed by area name; missing areas fall back to generic phrases)
# ---------------------------------------------------------------------------------------------

_PLACES: dict[str, dict[str, tuple[str, ...]]] = {
    "朱家尖街道": {"scenic": ("南沙景区", "大青山景区", "乌石塘", "千沙沙滩", "里沙沙滩", "樟州湾"),
                "terminal": ("蜈蚣峙码头",), "market": ("朱家尖海鲜夜排档", "朱家尖渔村海鲜街")},
    "沈家门街道": {"scenic": ("沈家门渔港", "沈家门渔港夜排档", "滨港路"),
                "terminal": ("半升洞码头",), "market": ("沈家门海鲜市场", "沈家门水产交易市场", "沈家门夜排档")},
    "东港街道": {"scenic": ("东港海滨公园",), "terminal": ("墩头码头",), "market": ("东港菜市场",)},
    "普陀山镇": {"scenic": ("普济寺", "法雨寺", "南海观音立像", "紫竹林", "百步沙", "千步沙", "西天景区"),
              "terminal": ("普陀山客运码头",), "market": ("普陀山龙湾商业街",)},
    "东极镇": {"scenic": ("庙子湖岛", "青浜岛", "东福山岛", "东极岛观日点"),
             "terminal": ("庙子湖码头",), "market": ("庙子湖海鲜排档",)},
    "桃花镇": {"scenic": ("桃花峪", "塔湾金沙", "射雕影视城"), "terminal": ("桃花岛客运码头",),
             "market": ("桃花岛海鲜大排档",)},
    "菜园镇": {"scenic": ("基湖沙滩", "南长涂沙滩", "嵊泗列岛海滨"), "terminal": ("李柱山码头",),
             "market": ("菜园海鲜市场", "菜园夜排档")},
    "花鸟乡": {"scenic": ("花鸟灯塔", "花鸟岛彩色民居"), "terminal": ("花鸟岛码头",), "market": ("花鸟岛渔家排档",)},
    "枸杞乡": {"scenic": ("大王沙沙滩", "枸杞岛海上牧场"), "terminal": ("枸杞岛码头",), "market": ("枸杞岛贻贝市场",)},
    "嵊山镇": {"scenic": ("后头湾", "嵊山岛东崖绝壁"), "terminal": ("嵊山码头",), "market": ("嵊山渔港排档",)},
    "秀山乡": {"scenic": ("秀山滑泥主题公园", "秀山岛沙滩"), "terminal": ("秀山码头",), "market": ("秀山岛农家乐",)},
    "东沙镇": {"scenic": ("东沙古渔镇",), "terminal": (), "market": ("东沙老街海鲜店",)},
    "高亭镇": {"scenic": ("高亭老街",), "terminal": ("岱山客运码头",), "market": ("高亭水产市场",)},
    "衢山镇": {"scenic": ("衢山岛观音山",), "terminal": ("衢山码头",), "market": ("衢山海鲜市场",)},
    "解放街道": {"scenic": ("定海古城", "中大街"), "terminal": (), "market": ("定海东门菜场",)},
    "昌国街道": {"scenic": ("定海古城",), "terminal": (), "market": ("定海海鲜排档",)},
    "六横镇": {"scenic": ("六横岛海滨",), "terminal": ("六横码头",), "market": ("六横水产市场",)},
    "金塘镇": {"scenic": ("金塘大浦口",), "terminal": ("金塘码头",), "market": ("金塘菜市场",)},
}
_FERRY_ROUTE = {
    "东极镇": "沈家门到东极", "菜园镇": "沈家门到嵊泗", "花鸟乡": "嵊泗到花鸟", "枸杞乡": "嵊泗到枸杞",
    "嵊山镇": "嵊泗到嵊山", "桃花镇": "去桃花岛", "普陀山镇": "去普陀山", "朱家尖街道": "蜈蚣峙到普陀山",
    "秀山乡": "去秀山", "六横镇": "去六横", "衢山镇": "去衢山",
}
_ROADS = ("人民路", "新建路", "东海路", "海滨路", "渔港路", "兴港路", "环城北路", "文化路", "和平路", "海洲路",
          "港湾路", "金平路", "临港路", "翁山路", "沙滩路", "东河路", "昌洲大道", "长峙路", "海印路", "锦绣路",
          "育才路", "渔民路", "滨海大道", "观音路", "新桥路", "青龙路", "石礁路", "北岙路", "南岙路", "大岙路")
_ESTATE_HEAD = ("海韵", "东海", "金岛", "滨港", "兴舟", "银湾", "翁洲", "海景", "桂花", "锦江", "阳光", "蓝湾",
                "新城", "港城", "碧海", "长峰", "海天", "明珠", "和润", "绿岛", "泰和", "星海", "瀛洲", "丽园")
_ESTATE_TAIL = ("花园", "小区", "新村", "公寓", "名苑", "家园", "嘉园", "府", "雅苑", "公馆")
_DISHES = ("梭子蟹", "带鱼", "大黄鱼", "虾蛄", "鲳鱼", "蛏子", "泥螺", "香螺", "佛手螺", "龙头鱼", "海瓜子",
           "石斑鱼", "望潮", "辣螺", "鮸鱼", "白虾", "红膏炝蟹", "鳗鲞", "马鲛鱼", "藤壶")
_DRY_GOODS = ("虾干", "鱼鲞", "虾皮", "紫菜", "墨鱼干", "鳗鲞", "淡菜干")
_PLATFORMS = ("携程", "美团", "飞猪", "去哪儿", "抖音", "小红书上联系的商家", "某旅游平台", "某订房平台")
_FOODS = ("牛奶", "面包", "熟食", "月饼", "速冻饺子", "酸奶", "火腿肠", "饮料", "婴儿奶粉", "海苔")


# ---------------------------------------------------------------------------------------------
# Businesses
# ---------------------------------------------------------------------------------------------

_BIZ_HEAD = ("海韵", "听涛", "望海", "渔火", "蓝湾", "碧海", "金沙", "半岛", "渔港", "东海", "观潮", "拾贝",
             "海之蓝", "云栖", "海角", "浪花", "鲜渔", "阿旺", "老渔", "岛遇", "月岛", "石屋", "海岸线", "潮汐",
             "星光", "海风", "海螺", "渔村", "晴沙", "海天", "瀛洲", "舟渔", "长峰", "恒丰", "永顺", "兴海",
             "鑫海", "宏达", "华鑫", "海顺", "众诚", "远洋", "海晟", "锦程", "屿见", "半山", "栖岛", "蓝珀",
             "渔歌", "海上", "悦海", "渔湾", "初见", "归渔", "渔家", "鲜记", "阿强", "阿海", "大鹏", "海港")
_PERSON_HEAD = ("阿旺", "老陈", "阿海", "老张", "阿强", "小林", "老周", "阿明", "阿芬", "老徐", "阿龙", "老叶")
_BIZ_KINDS: dict[str, dict] = {
    # kind: trade-name tails, legal form, individual business share
    "seafood": {"tails": ("海鲜大排档", "海鲜排档", "海鲜酒家", "渔家菜馆", "海鲜馆", "渔港餐厅", "海鲜楼"),
                "legal": "{place}{name}", "company": "舟山{head}餐饮管理有限公司", "ind": 0.75},
    "stall": {"tails": ("水产", "海鲜摊", "水产品经营部", "海产干货", "鲜货行"), "person": True,
              "legal": "{place}{name}", "company": "舟山{head}水产品有限公司", "ind": 0.9},
    "homestay": {"tails": ("民宿", "海景民宿", "精品民宿", "小院", "渔家民宿", "客栈"),
                 "legal": "{place}{name}", "company": "舟山{head}旅游开发有限公司", "ind": 0.7},
    "hotel": {"tails": ("大酒店", "宾馆", "精品酒店", "度假酒店", "商务酒店", "酒店"),
              "legal": "{place}{name}", "company": "舟山{head}酒店管理有限公司", "ind": 0.3},
    "restaurant": {"tails": ("饭店", "面馆", "小吃店", "餐厅", "烧烤店", "快餐店", "土菜馆"),
                   "legal": "{place}{name}", "company": "舟山{head}餐饮有限公司", "ind": 0.8},
    "shop": {"tails": ("超市", "便利店", "特产店", "生活超市", "副食品店", "母婴店"),
             "legal": "{place}{name}", "company": "舟山{head}商贸有限公司", "ind": 0.6},
    "construction": {"tails": ("建设工程有限公司", "建筑工程有限公司", "市政工程有限公司", "建设集团有限公司"),
                     "legal": "舟山{name}", "company": "舟山{name}", "ind": 0.0},
    "property": {"tails": ("物业管理有限公司", "物业服务有限公司"), "legal": "舟山{name}",
                 "company": "舟山{name}", "ind": 0.0},
    "factory": {"tails": ("水产食品有限公司", "船舶修造有限公司", "冷冻食品有限公司", "鱼粉加工厂", "机械制造有限公司",
                          "海洋生物科技有限公司"), "legal": "舟山{name}", "company": "舟山{name}", "ind": 0.1},
    "entertainment": {"tails": ("KTV", "量贩KTV", "酒吧", "清吧", "音乐酒吧", "棋牌室"),
                      "legal": "{place}{name}", "company": "舟山{head}娱乐有限公司", "ind": 0.5},
    "agency": {"tails": ("国际旅行社有限公司", "旅行社有限公司", "旅游服务有限公司"), "legal": "舟山{name}",
               "company": "舟山{name}", "ind": 0.0},
    "training": {"tails": ("教育培训学校", "艺术培训中心", "学习中心", "教育咨询有限公司"), "legal": "舟山{name}",
                 "company": "舟山{name}", "ind": 0.0},
    "clinic": {"tails": ("诊所", "中医诊所", "医疗美容门诊部", "口腔门诊部"), "legal": "{place}{name}",
               "company": "舟山{head}医疗管理有限公司", "ind": 0.3},
    "employer": {"tails": ("船舶修造有限公司", "水产食品有限公司", "建筑劳务有限公司", "餐饮管理有限公司",
                           "电子科技有限公司", "物流有限公司", "海洋科技有限公司", "酒店管理有限公司"),
                 "legal": "舟山{name}", "company": "舟山{name}", "ind": 0.0},
    "parking": {"tails": ("停车场",), "legal": "{place}{name}", "company": "舟山{head}停车管理有限公司", "ind": 0.2},
    "prepaid": {"tails": ("健身会所", "美容美发店", "瑜伽馆", "游泳馆", "洗车店", "儿童乐园"),
                "legal": "{place}{name}", "company": "舟山{head}健身服务有限公司", "ind": 0.6},
    "esports": {"tails": ("电竞酒店", "电竞主题酒店"), "legal": "{place}{name}",
                "company": "舟山{head}电竞酒店管理有限公司", "ind": 0.3},
}
_CONSTRUCTION_SITES = ("{head}花园二期项目", "{head}安置房项目", "{road}道路改造工程", "{head}商业综合体项目",
                       "{head}小区改造工程", "{road}雨污分流工程", "{head}学校新建工程", "{head}公寓项目")


# ---------------------------------------------------------------------------------------------
# Area weight tables (area name -> weight); unknown names are ignored
# ---------------------------------------------------------------------------------------------

_AREAS_CIVIC = {
    "解放街道": 5, "昌国街道": 6, "环南街道": 5, "城东街道": 7, "盐仓街道": 4, "临城街道": 6, "千岛街道": 3.5,
    "岑港街道": 1.5, "马岙街道": 1, "双桥街道": 1.5, "小沙街道": 1.5, "白泉镇": 3, "金塘镇": 2.5, "干䃣镇": 1.5,
    "沈家门街道": 8, "东港街道": 6, "朱家尖街道": 2, "展茅街道": 1.5, "六横镇": 3, "桃花镇": 0.8, "虾峙镇": 0.8,
    "东极镇": 0.2, "普陀山镇": 0.3, "高亭镇": 5, "东沙镇": 1, "岱西镇": 1, "岱东镇": 1, "长涂镇": 0.6,
    "衢山镇": 2, "秀山乡": 0.3, "菜园镇": 2.5, "嵊山镇": 0.5, "洋山镇": 1, "五龙乡": 0.3, "黄龙乡": 0.3,
    "枸杞乡": 0.3, "花鸟乡": 0.1,
}
_AREAS_URBAN = {"解放街道": 4, "昌国街道": 5, "环南街道": 4, "城东街道": 6, "盐仓街道": 3, "临城街道": 6,
                "千岛街道": 4, "沈家门街道": 7, "东港街道": 6, "高亭镇": 3, "菜园镇": 1.5}
_AREAS_RURAL = {"岑港街道": 3, "马岙街道": 3, "双桥街道": 3, "小沙街道": 3, "白泉镇": 4, "金塘镇": 4, "干䃣镇": 3,
                "展茅街道": 3, "六横镇": 4, "桃花镇": 1.5, "虾峙镇": 2, "东沙镇": 1.5, "岱西镇": 2, "岱东镇": 2,
                "长涂镇": 1.5, "衢山镇": 3, "秀山乡": 1, "五龙乡": 1, "黄龙乡": 1, "洋山镇": 1}
_AREAS_COAST = {"沈家门街道": 4, "东港街道": 2, "六横镇": 3, "虾峙镇": 3, "桃花镇": 2, "东极镇": 1.5, "衢山镇": 3,
                "长涂镇": 2, "高亭镇": 2, "岱西镇": 1.5, "嵊山镇": 2, "洋山镇": 1.5, "黄龙乡": 1.5, "枸杞乡": 1.5,
                "岑港街道": 2, "小沙街道": 1, "金塘镇": 1.5, "干䃣镇": 1.5}
_AREAS_TOURISM = {"普陀山镇": 8, "朱家尖街道": 12, "沈家门街道": 12, "东港街道": 2, "桃花镇": 4, "东极镇": 5,
                  "菜园镇": 6, "枸杞乡": 3, "花鸟乡": 3, "嵊山镇": 2, "秀山乡": 2, "东沙镇": 2, "高亭镇": 1.5,
                  "解放街道": 1.5, "昌国街道": 2}
_AREAS_SEAFOOD = {"沈家门街道": 12, "朱家尖街道": 7, "菜园镇": 5, "东极镇": 2.5, "桃花镇": 1.5, "普陀山镇": 1,
                  "东沙镇": 1.2, "嵊山镇": 1, "枸杞乡": 1, "花鸟乡": 0.6, "昌国街道": 1.5, "高亭镇": 1}
_AREAS_STALL = {"沈家门街道": 12, "菜园镇": 4, "朱家尖街道": 3, "东沙镇": 1, "高亭镇": 2, "昌国街道": 2,
                "解放街道": 2, "东港街道": 2, "嵊山镇": 1, "枸杞乡": 1, "东极镇": 1, "桃花镇": 1}
_AREAS_HOMESTAY = {"朱家尖街道": 12, "东极镇": 6, "菜园镇": 6, "花鸟乡": 4, "枸杞乡": 4, "嵊山镇": 3,
                   "桃花镇": 3, "秀山乡": 1.5, "普陀山镇": 1.5, "沈家门街道": 1, "东沙镇": 1, "六横镇": 0.5}
_AREAS_TERMINAL = {"朱家尖街道": 10, "沈家门街道": 8, "普陀山镇": 6, "菜园镇": 3, "东极镇": 2, "高亭镇": 1,
                   "桃花镇": 1, "东港街道": 1}
_AREAS_FERRY_BURST = {"朱家尖街道": 5, "东极镇": 4.5, "菜园镇": 3, "花鸟乡": 3, "枸杞乡": 2, "嵊山镇": 1.5,
                      "桃花镇": 1.5, "普陀山镇": 1, "秀山乡": 0.8}

# ---------------------------------------------------------------------------------------------
# Shared sentence pools
# ---------------------------------------------------------------------------------------------

_PHONE_PREFIX = ("来电人反映：", "市民来电反映：", "来电人称，", "来电反映，", "来电人来电称：", "来电人表示，", "")
_SELF_PREFIX = ("", "", "", "您好，", "你好！", "领导您好：", "尊敬的领导：")
_CLOSE_FMT = ("希望{d}。", "请{d}。", "要求{d}。", "诉求：{d}。", "恳请{d}，谢谢！", "麻烦{d}。", "希望{d}，尽快给个答复。")
_CLOSE_CONSULT = ("请帮忙解答。", "请相关部门答复。", "谢谢！", "麻烦告知一下。", "诉求：请予解答。", "")
_EXTRA_TOURIST = (
    "这次是带着老人和孩子一起来的，本来心情很好，结果被弄得很扫兴。", "舟山是旅游城市，这种做法太影响形象了。",
    "网上一搜也有不少人说过类似的情况。", "{me}是从外地专程过来玩的，人生地不熟，只能求助热线。",
    "现在出门旅游本来就不容易，希望不要让游客寒心。", "{me}已经打过商家电话，对方一直推脱。",
    "当时人很多，商家根本不理会{me}的诉求。", "如果这样的事情没人管，以后谁还敢来海岛玩。",
)
_EXTRA_CIVIC = (
    "周边住户意见都很大。", "已经不是第一次反映了。", "之前打过电话，说会处理，但到现在没有任何变化。",
    "家里有老人和小孩，实在受不了。", "附近居民联名写过意见，也没有下文。", "{me}可以配合执法人员现场查看。",
    "这个问题已经持续一个多月了。", "不知道到底归哪个部门管，打了好几个电话都说不归他们管。",
)

# Generic reply pieces by group: opener, closer, and core findings by outcome.
_REPLY_OPEN = {
    "complaint": ("{dept}收到工单后高度重视，", "接件后，{dept}立即安排执法人员核查。", "{dept}于{rdate}组织执法人员到现场调查。",
                  "您好！关于您反映的问题，{dept}答复如下：", "", ""),
    "help": ("您好！", "{dept}收到工单后，", "接到工单后，{dept}及时安排人员处理。", "关于您反映的问题，现答复如下：", ""),
    "consult": ("您好！", "您好，关于您咨询的问题，答复如下：", "来电人您好，", ""),
    "suggest": ("感谢您对我市建设的关心。", "您好！您的建议已收悉。", "{dept}感谢您提出的宝贵建议。"),
    "praise": ("感谢您对我们工作的肯定！", "您好！您的表扬已收悉。"),
}
_REPLY_CLOSE = {
    "complaint": ("感谢您对我们工作的支持与监督。", "已电话告知来电人处理结果。", "已与来电人电话沟通，告知处理情况。",
                  "下一步将加强日常巡查，防止问题反弹。", "", ""),
    "help": ("如有问题可再次来电反映。", "已电话告知来电人。", "", ""),
    "consult": ("如有疑问可拨打12345咨询。", "具体以经办窗口审核为准。", "", ""),
    "suggest": ("下一步将结合实际研究落实。", "", ""),
    "praise": ("我们将继续努力，为市民提供更好的服务。", ""),
}
_REPLY_CORE = {
    "complaint": {
        "ok": ("执法人员到场核实了反映的情况，已责令当事人立即整改，目前问题已得到解决。",
               "经调查，反映情况基本属实，已依法立案调查，当事人已按要求整改到位。",
               "经协调，双方达成一致意见，来电人对处理结果表示认可。"),
        "part": ("经核查，反映的问题部分属实，已责令整改，部分诉求因缺乏证据暂无法支持，已向来电人做好解释。",
                 "经调解，对方同意部分诉求，剩余分歧已告知来电人可通过其他合法途径解决。"),
        "fail": ("执法人员多次到场核查，暂未发现来电人反映的违法行为，将继续加强巡查。",
                 "因来电人无法提供相关证据，暂无法认定违法事实，已告知来电人可通过民事诉讼途径主张权益。",
                 "经调解，双方分歧较大未能达成一致，已告知来电人可向人民法院起诉。"),
    },
    "help": {
        "ok": ("已安排维修人员到场处理，现已恢复正常。", "工作人员已到现场处置完毕。"),
        "part": ("已先行临时处置，彻底解决需列入后续计划，预计近期完成。",),
        "fail": ("经现场查看，该问题涉及产权单位，需由产权方自行处理，已告知来电人。",),
    },
    "consult": {"ok": ("已按政策规定向来电人作了解答。",), "part": ("已作解答，具体以窗口审核为准。",),
                "fail": ("该事项暂无明确政策规定，已向来电人做好解释。",)},
    "suggest": {"ok": ("您的建议已转相关科室研究，将在下一步工作中统筹考虑。",),
                "part": ("您的建议已记录，受条件所限暂无法实施，我们将持续关注。",),
                "fail": ("经研究，该建议暂不具备实施条件，感谢您的理解。",)},
    "praise": {"ok": ("已将您的表扬转达当事工作人员，并在单位内部通报表扬。",), "part": ("已转达。",), "fail": ("已转达。",)},
}
_RETURN_REASONS = (
    "该事项属{other}职责，非我单位职责范围，申请退回。",
    "经核实，反映问题属于{other_field}领域，按照“三定”规定应由{other}负责，请予改派。",
    "来电人反映的事项不在我局监管范围内，建议改派{other}处理。",
    "该事项系{other_field}类问题，非我单位职责，请热线中心重新派单至{other}。",
    "根据职责任务清单，该事项由{other}主办，我单位可配合，申请退单。",
    "经与{other}沟通，该问题应由其牵头处理，现申请退回。",
)
_RETURN_REASONS_CIVIL = (
    "该诉求系经营者与消费者之间的民事纠纷，不属于行政执法事项，建议由属地组织调解，申请退回。",
    "反映问题属合同纠纷，我单位无强制处理权限，建议改派属地乡镇（街道）调解。",
)
_RETURN_REASONS_AREA = (
    "工单派发有误，反映地点不在本辖区，请核实后改派{other}。",
    "经现场核实，事发地属{other}管辖，申请退回改派。",
)
_BACKGROUND_TOURIST = (
    "{me}一家是从外地过来旅游的，一共{n_people}个人。", "{me}是第一次来舟山，本来对海岛旅游印象很好。",
    "{me}在网上看了很多攻略才选的这里。", "{me}和朋友约好{trip}结伴去{town_s}玩。",
)
_BACKGROUND_CIVIC = (
    "{me}在这里住了十几年了。", "{me}家住在{community}{building}幢。", "{me}是附近的居民，平时早出晚归。",
    "{me}是{town_s}本地人。",
)
_FOLLOW_UP = (
    "事后{me}又打了商家留的电话，一直没人接。", "{me}第二天又去了一次，还是没有结果。",
    "{me}也在网上发了帖子，很多人留言说遇到过同样的事。", "后来{me}打了几个部门的电话，都说不归他们管。",
)
_NARRATIVE_CONSUMER = (
    "当时{me}就提出要看相关凭证，对方推三阻四，最后只拿出一张手写的单子，上面连日期都没有。",
    "{me}不是无理取闹的人，只是希望按规矩办事，该多少就多少，但对方的态度让人很难接受。",
    "这件事已经拖了好几天，{me}请假跑了好几趟，耽误的时间和精力远远超过了涉及的金额。",
    "身边的亲戚朋友听说以后都很气愤，说以后再也不敢来了，{me}觉得这对本地的口碑影响很大。",
    "希望有关部门能够认真核实，不要只是打个电话问一下就结案，{me}愿意配合提供所有材料。",
)
_NARRATIVE_CIVIC = (
    "希望有关部门能够认真核实，不要只是打个电话问一下就结案，{me}愿意配合提供所有材料。",
    "{me}也理解基层工作不容易，但这类问题反复出现，说明日常监管还是有漏洞。",
    "{me}每天上下班都要经过这里，看着问题一直得不到解决，心里很着急。",
    "周边很多住户都是老人，他们不会打电话反映，{me}替大家说一说。",
)
_CONSUMER_KINDS = ("seafood", "stall", "homestay", "hotel", "restaurant", "shop", "agency", "parking", "prepaid",
                   "esports", "clinic", "training")
_DEMANDS_COMPLAINT = ("相关部门尽快核实处理", "有关部门依法处理", "尽快解决")
_DEMANDS_HELP = ("相关部门尽快处理", "尽快安排人员处理", "帮忙协调解决", "尽快解决")


# ---------------------------------------------------------------------------------------------
# Themes. Every text below is written for this generator.
#   share: relative baseline volume; profile: day pattern (civic/tourism/mixed/night);
#   hours: hour-of-day pattern; group: reply style; dept: {department spec: weight} where a spec
#   is a field code (district mirror of the field's city department), "town" (town office),
#   "zone" (functional-zone administration) or "@CODE" (that department);
#   alt: specs a returned order is re-dispatched to; ret: return probability;
#   variants: alternatives overriding any key (weight "w").
# ---------------------------------------------------------------------------------------------

def _T(code: str, share: float, **kw) -> dict:
    d = {"code": code, "share": share, "profile": "civic", "hours": "civic", "group": "complaint",
         "types": {"投诉": 1.0}, "enf": True, "kind": "violation", "tourism": 0.0, "field": "其他",
         "problems": [], "extra": {}, "categories": ["其他/其他"], "areas": _AREAS_CIVIC, "biz": None,
         "dept": {"qita": 1}, "alt": [], "ret": 0.02, "co": [], "co_p": 0.0, "direct": 0.0, "sat": 0.86,
         "id_p": 0.06, "titles": [], "bodies": [], "details": [], "demands": [], "extra_details": {},
         "finds": {}, "variants": [], "bodies_by_area": {}, "items": []}
    d.update(kw)
    return d


def _I(**kw) -> dict:
    """A coherent item of a theme: titles t, bodies b, answers/findings a (for outcome "ok"),
    categories c, department specs d, details x (added to the theme's), weight w."""
    return kw


THEMES: list[dict] = [
    # ----------------------------------------------------------------- tourism enforcement
    _T("seafood_price", 2.0, profile="tourism", hours="evening", tourism=1.0, field="市场监管",
       problems=["价格违法"], extra={"虚假宣传": 0.1}, categories=["市场监管/价格收费", "文化旅游/涉旅消费", "市场监管/餐饮消费"],
       areas=_AREAS_SEAFOOD, biz="seafood", dept={"shichang": 8, "zone": 2}, alt=["wenlv", "zone"], ret=0.04,
       co=["wenlv"], co_p=0.12, sat=0.82,
       titles=("投诉{town_s}海鲜排档宰客", "游客投诉海鲜结账金额与标价不符", "吃海鲜被宰，要求查处", "反映{biz}价格欺诈"),
       items=[_I(t=("{biz}按两计价涉嫌价格欺诈", "菜单按斤标价结账按两算"),
                 b=("{me}{when}和家人在{town_s}的{biz}吃饭，点了{dish}和{dish2}，菜单上{dish}写的是{up}元，结账时才说是按两算的，一顿饭花了{bill}元。",)),
              _I(t=("{biz}海鲜“时价”不告知价格", "点菜不告知价格，结账{bill}元"),
                 b=("{trip}来{town_s}旅游，{when}在{biz}吃海鲜，点菜时服务员说{dish}是时价，没有告诉具体价格，最后{n_people}个人结账{bill}元，明显高于正常价格。",
                    "{me}{when}在{place}附近的{biz}用餐，{dish}现场称重后没有当面告知价格，买单时一盘{dish}就收了{amount}元。")),
              _I(t=("{biz}“野生”海鲜价格翻倍", "反映{biz}以次充好、高价收费"),
                 b=("{biz}门口价目牌标的{dish}是{up}元一斤，进店后服务员推荐的却是“野生”的，按{up_hi}元一斤收费，事先没有说明。",)),
              _I(t=("{biz}乱收茶位费", "饭店账单多收费用"),
                 b=("{me}{when}在{biz}吃饭，账单上多出了{extra}元的茶位费和餐具费，点菜时根本没人提过。",)),
              _I(t=("{biz}称重与实际不符", "海鲜称重缺斤还高价"),
                 b=("{when}{me}一行{n_people}人在{biz}点了一桌海鲜，{dish2}称重时说是{wc}斤，端上来明显没有那么多，总共收了{bill}元。",))],
       details=("{me}当场提出异议，店家态度强硬，说不付钱就不让走。", "菜单上很多菜没有标价，只写着“时价”。",
                "结账的小票上只有总价，没有每道菜的重量和单价。", "同桌的还有两位老人，当时不想把事情闹大，就先付了钱。",
                "付款是通过微信转账给老板个人的，有转账记录。", "后来在网上查了一下，附近其他店同样的{dish}价格只有一半。",
                "店里没有张贴明码标价的价目表。", "{me}拍了菜单和账单的照片，可以提供给执法人员。",
                "服务员一直在推荐最贵的几样，说是“今天刚到的船货”。"),
       demands=("相关部门查处这家店的价格欺诈行为", "帮忙协调退还多收的费用", "市场监管部门核实后依法处理",
                "加强对海鲜排档的价格监管，别让游客寒心"),
       extra_details={"虚假宣传": ("店门口招牌写着“本店海鲜全部野生”，后厨一看都是养殖的。",)},
       finds={"ok": ("执法人员于{rdate}到{biz}检查，发现该店部分菜品未明码标价，已责令立即整改；经调解，商家退还来电人{refund}元，来电人表示接受。",
                     "经现场核查，{biz}未按规定公示海鲜计价单位，已依据《明码标价和禁止价格欺诈规定》立案调查，并督促商家向来电人退还差价{refund}元。"),
              "part": ("经核查，{biz}已公示价目表，但称重环节未当面确认。经调解，商家同意退还部分费用{refund}元，来电人认为退款偏少。",),
              "fail": ("执法人员调取了店内监控和价目表，未发现价格违法的证据，商家不同意退款，已告知来电人可通过民事途径主张权益。",)}),
    _T("short_weight", 1.5, profile="tourism", hours="tourism", tourism=0.75, field="市场监管",
       problems=["短斤少两"], categories=["市场监管/计量", "市场监管/农贸市场", "文化旅游/涉旅消费"],
       areas=_AREAS_STALL, biz="stall", dept={"shichang": 9, "zone": 1}, alt=["zone", "town"], ret=0.025,
       sat=0.85,
       titles=("{market}摊位短斤少两", "反映{biz}缺斤少两", "投诉海鲜摊贩秤有问题", "{town_s}水产摊位计量不准"),
       items=[_I(t=("买{dish}少了{short_jin}斤", "{biz}卖{dish}分量不足"),
                 b=("{me}{when}在{market}的{biz}买了{wc}斤{dish}，回到宾馆用电子秤一称只有{wr}斤，差了不少。",
                    "{biz}的电子秤明显有问题，{me}买的{dish}说是{wc}斤，实际只有{wr}斤，还收了{amount}元。")),
              _I(t=("买干货缺斤少两", "{biz}{dry}分量不足"),
                 b=("{trip}在{town_s}{market}买干货，{biz}称的是{wc}斤{dry}，拿到旁边的公平秤复核只有{wr}斤。",)),
              _I(t=("公平秤复秤少了{short_pct}%", "{biz}秤不准"),
                 b=("{me}{when}在{biz}买{dish}，摊主称完直接装袋，后来到市场公平秤上复秤，少了将近{short_pct}%。",)),
              _I(t=("{biz}调包、缺秤", "买海鲜被调包还缺斤两"),
                 b=("在{market}买海鲜的时候，{biz}趁{me}不注意把{dish}换成了死的，分量也不足，按{wc}斤收的钱，回来一称才{wr}斤。",))],
       details=("摊主还往袋子里加了不少冰块和水一起称。", "{me}回去找摊主理论，对方不承认，说是海鲜脱水了。",
                "市场里的公平秤就在门口，称完差距一目了然。", "听说这个摊位以前也被人投诉过。",
                "秤的显示屏朝着摊主那一侧，顾客根本看不到读数。", "付款{amount}元，有手机支付记录。",
                "同行的朋友在同一个摊位买的也少了。"),
       demands=("市场监管部门对这个摊位的秤进行检查", "依法查处缺斤少两行为", "帮忙退还差额", "加强市场计量器具的检查"),
       finds={"ok": ("执法人员对{biz}使用的电子秤进行了检定，发现计量不准，已予以封存并立案调查；商户已向来电人退还差额{refund}元。",
                     "经现场复秤，{biz}存在短斤少两行为，已责令整改并依法处理，差价{refund}元已退还来电人。"),
              "part": ("执法人员检查了{biz}的计量器具，检定合格，但商户承认称重时未沥水，同意退还{refund}元。",),
              "fail": ("执法人员对{biz}的电子秤进行了检定，结果合格，因来电人已无法提供所购商品，暂无法认定短斤少两事实。",)}),
    _T("homestay_false_ad", 1.2, profile="tourism", hours="tourism", tourism=1.0, field="市场监管",
       problems=["虚假宣传"], extra={"退订退款纠纷": 0.35}, categories=["文化旅游/民宿管理", "市场监管/广告", "文化旅游/涉旅消费"],
       areas=_AREAS_HOMESTAY, biz="homestay", dept={"shichang": 5, "wenlv": 4, "zone": 2},
       alt=["shichang", "wenlv", "zone"], ret=0.1, co=["wenlv", "shichang"], co_p=0.15, sat=0.82,
       titles=("反映{town_s}民宿虚假宣传", "民宿实际情况与网上图片严重不符", "投诉{biz}宣传与实际不符"),
       items=[_I(t=("{biz}“海景房”名不副实", "预订的海景房看不到海"),
                 b=("{me}在{platform}上预订了{town_s}的{biz}，页面上写的是“一线海景房、推窗见海”，到了以后发现窗外是一片工地，根本看不到海。",
                    "{trip}一家人订了{biz}的“观海大床房”，每晚{room_fee}元，入住后发现房间在一楼背面，只能从楼缝里看到一点点海。")),
              _I(t=("{biz}宣传“步行一分钟到沙滩”不实",),
                 b=("{biz}在网上宣传“步行一分钟到沙滩”，实际走了将近二十分钟，而且要翻过一个小山坡。",)),
              _I(t=("{biz}宣传设施不存在", "民宿宣传的泳池早已停用"),
                 b=("{me}预订的{biz}，宣传图里有无边泳池和私人露台，实际到店泳池早就停用了，露台也被改成了杂物间。",)),
              _I(t=("投诉{biz}宣传照片造假", "民宿“全新装修”实为旧房"),
                 b=("{town_s}的{biz}在{platform}上的房间照片明显是修过的，实际房间又小又旧，墙角发霉，和宣传的“全新装修”完全不一样。",))],
       details=("和老板沟通，老板说照片是“效果图”，意思是{me}自己没看清楚。", "房间里还有一股很重的霉味，床单上有污渍。",
                "{me}要求换房，老板说旺季没有空房。", "页面上的好评很多都是刷的，差评都被商家投诉删掉了。",
                "为这次旅行专门请了假，结果体验非常糟糕。", "已经在平台上投诉过，平台让{me}自己跟商家协商。"),
       extra_details={"退订退款纠纷": ("{me}当天就提出退房，商家只愿意退{refund}元，预付的{prepay}元大部分被扣下了。",
                                     "商家以“已过免费取消时间”为由拒绝退款，剩下的{nights}晚房费一分不退。")},
       demands=("相关部门核查这家民宿的虚假宣传行为", "督促商家退还房费", "依法处理并责令整改宣传内容", "加强对网上民宿宣传的监管"),
       finds={"ok": ("经核查，{biz}在网络平台发布的房型图片与实际不符，已责令其下架相关图片、修改房型描述；经调解，民宿退还来电人{refund}元。",
                     "{dept}会同属地对{biz}进行了检查，责令其规范宣传用语，并约谈经营者，民宿已同意为来电人办理退款。"),
              "part": ("经核查，{biz}宣传存在夸大成分，已责令整改；民宿同意退还部分房费{refund}元，来电人要求全额退款，双方仍有分歧。",),
              "fail": ("经实地查看，{biz}房间可观海景，与宣传基本一致，来电人诉求缺乏依据，已做好解释工作。",)}),
    _T("homestay_refund", 1.5, profile="tourism", hours="tourism", tourism=1.0, field="文旅",
       problems=["退订退款纠纷"], categories=["文化旅游/民宿管理", "文化旅游/涉旅消费", "市场监管/消费纠纷"],
       areas=_AREAS_HOMESTAY, biz="homestay", dept={"wenlv": 5, "shichang": 3, "zone": 1.5, "town": 1},
       alt=["shichang", "wenlv", "town", "zone"], ret=0.16, co=["town", "shichang"], co_p=0.15, sat=0.8,
       titles=("民宿拒不退还预订费用", "{biz}退订纠纷", "反映{town_s}民宿退款难"),
       items=[_I(t=("预订民宿后因故取消，商家不退款", "提前取消预订，{biz}全额扣款"),
                 b=("{me}{when}在{platform}预订了{biz}{nights}晚，共{prepay}元，因为家里老人突然生病提前{days_before}天取消，商家一分钱都不退。",)),
              _I(t=("{biz}定金不退", "民宿老板拒退定金"),
                 b=("{me}通过微信直接向{biz}老板转了定金{deposit}元，后来行程有变提前一周告知取消，老板说定金不退。",)),
              _I(t=("民宿设施损坏要求退房被拒",),
                 b=("{trip}入住{biz}，住了一晚发现房间漏水、热水器坏了，要求退掉剩下的{nights_left}晚，老板只同意退一半。",)),
              _I(t=("{biz}超订后不退差价",),
                 b=("{biz}临时说房间超订了，把{me}安排到别的民宿，条件差很多，要求退差价也不给。",)),
              _I(t=("民宿临时加价不让入住", "{biz}节假日临时加收费用"),
                 b=("在{town_s}的{biz}订了{nights}晚，到了以后才被告知要另外收{extra}元的“节假日附加费”，不同意就不让入住，预付的房费也不退。",))],
       details=("订房的时候页面上写的是“入住前三天可免费取消”。", "聊天记录和付款截图都保存着。",
                "老板说旺季房间紧张，取消了损失要{me}承担。", "{me}愿意承担合理的损失，但全部扣掉说不过去。",
                "打老板电话一直不接，微信也把{me}拉黑了。", "已经找过平台客服，客服说联系不上商家。"),
       demands=("帮忙协调退还房费", "相关部门督促民宿按约定退款", "对这种霸王条款进行处理", "介入调解，维护游客合法权益"),
       finds={"ok": ("经{dept}工作人员与{biz}负责人沟通协调，民宿同意扣除当晚房费后退还来电人{refund}元，款项已原路退回。",
                     "{dept}会同属地组织双方协商，{biz}同意退还来电人预付费用，来电人表示认可。"),
              "part": ("经协调，{biz}同意退还{refund}元，来电人认为扣款过多，仍保留进一步主张的权利。",),
              "fail": ("经多次联系，{biz}坚持按订单规则不予退款，已告知来电人可向消保委申请调解或向人民法院起诉。",)}),
    _T("ferry_refund", 0.08, profile="tourism", hours="tourism", tourism=1.0, field="文旅",
       problems=["退订退款纠纷"], categories=["文化旅游/民宿管理", "文化旅游/涉旅消费", "交通运输/水路客运"],
       areas=_AREAS_FERRY_BURST, biz="homestay", dept={"wenlv": 5, "shichang": 2, "zone": 2, "town": 1.5},
       alt=["shichang", "wenlv", "town", "zone"], ret=0.15, co=["town", "shichang"], co_p=0.2, sat=0.85,
       titles=("因{cause}停航无法入住，民宿拒绝退款", "船停了去不了{town_s}，{biz}不退房费", "停航导致行程取消，要求民宿退款",
               "反映{town_s}民宿停航期间不予退订", "{cause}停航，预订的住宿无法退款"),
       bodies=("{me}在{platform}上提前半个多月订了{town_s}的{biz}，{when}出发前碰上{cause}，{ferry_route}的船全部停航，过不去了，商家说订单不可取消，房费不退。",
               "因为{cause}停航，{me}{n_people}个人被困在{from_place}，预订的{biz}{nights}晚住不了，老板只同意改期，不同意退款，可假期就这几天。",
               "{cause}导致{ferry_route}航线停航，{me}订的{biz}入住日期正好是停航那几天，联系老板退款，对方说“天气原因不是我们的责任”，要扣{deduct_pct}%的房费。",
               "{me}预订了{biz}，共{prepay}元，出发当天接到通知船停航了，要求退款，老板说旺季房源紧张，只能退{refund}元。",
               "受{cause}影响船班取消，{me}一家只能取消去{town_s}的行程，但{biz}坚持按平台规则扣款，平台客服也推给商家。"),
       bodies_by_area={"朱家尖街道": (
           "{me}原本计划在朱家尖住两晚，第二天上普陀山，结果{cause}船停了，普陀山去不了，行程只能取消，{biz}说订单已确认，不能退款。",
           "{cause}预警发布后蜈蚣峙码头停航，{me}订的{biz}{nights}晚共{prepay}元，老板只同意退一半，理由是“桥又没封，你们可以过来”。")},
       details=("停航是客观原因，游客和商家都没有过错，全部损失让游客承担不合理。", "{me}给老板看了停航通知的截图，老板还是不同意。",
                "同一批订房的朋友也遇到同样的问题。", "老板说可以保留订单到明年，但{me}以后不一定还有时间过来。",
                "车票已经退了，只有住宿退不了。", "{me}理解商家也有损失，愿意承担一部分，但希望能协商。"),
       demands=("相关部门协调商家退还费用", "帮忙协调，给出一个合理的退款方案", "对停航这种情况明确退订规则", "督促商家退款"),
       finds={"ok": ("{dept}会同属地政府及司法所组织{biz}负责人与来电人协商，考虑到停航属不可抗力，双方同意全额退还预付费用{prepay}元。",
                     "经协调，{biz}同意退还{refund}元并免除违约金，来电人表示认可。"),
              "part": ("经协调，{biz}同意保留订单或退还{refund}元，来电人选择退款，但对扣除部分仍有意见。",),
              "fail": ("经多次联系，{biz}以平台规则为由坚持不退，已告知来电人可向消保委申请调解或通过诉讼途径解决，并将该商户列入重点关注对象。",)},
       variants=[{"w": 8}, {"w": 2, "biz": "hotel"},
                 {"w": 1.5, "biz": "seafood", "bodies_by_area": {},
                  "details": ("同行的{n_people}个人都来不了。", "老板说已经备料，可那天根本没有客人上岛。",
                              "{me}理解商家也有损失，愿意承担一部分，但希望能协商。"),
                  "titles": ("停航取消行程，餐饮预订定金不退", "{biz}拒退订餐定金"),
                  "bodies": ("{me}为团队在{biz}预订了{tables}桌海鲜宴，付了定金{deposit}元，因为{cause}停航来不了，老板说菜已经备好，定金不退。",
                             "{cause}停航，{me}在{town_s}{biz}订的包厢用不上了，提前一天告知取消，商家坚持扣除全部定金{deposit}元。")}]),
    _T("touting_terminal", 1.0, profile="tourism", hours="tourism", tourism=1.0, field="交通运输",
       problems=["黄牛揽客/强迫消费"], extra={"非法营运": 0.3}, categories=["交通运输/港口码头", "文化旅游/旅游秩序", "公安/治安秩序"],
       areas=_AREAS_TERMINAL, dept={"jiaotong": 6, "gongan": 2, "zone": 2},
       alt=["gongan", "zonghe", "jiaotong", "zone"],
       ret=0.12, co=["gongan", "zonghe"], co_p=0.18, sat=0.84,
       titles=("{terminal}黄牛拉客严重", "反映{terminal}有人强行揽客"),
       items=[_I(t=("{terminal}出口处拉客的人多", "码头出口揽客人员纠缠游客"),
                 b=("{me}{when}在{terminal}下船，出口处有好几个人围上来拉客，说住宿、包车、买票都能办，一路跟着走了很远。",)),
              _I(t=("码头黄牛倒卖船票", "{terminal}黄牛加价卖票"),
                 b=("{terminal}售票厅外面有黄牛说正规窗口票卖完了，他们手里有票，每张加价{extra}元，{me}买了以后才发现窗口其实还有票。",)),
              _I(t=("冒充工作人员在码头收费",),
                 b=("{trip}带老人在{terminal}候船，有人冒充工作人员说可以走“快速通道”上船，收了{amount}元就不见了。",)),
              _I(t=("{terminal}停车场私家车拉客", "码头拉客车辆中途加价"),
                 b=("{terminal}停车场有私家车拉客去{place}，一口价{fare}元，{me}上车后中途又要加钱。",)),
              _I(t=("码头揽客带到“指定”农家乐", "被揽客人员带去高价农家乐"),
                 b=("在{terminal}出口被人拉去一家“农家乐”吃饭住宿，说是码头指定的，价格比网上贵了一倍多。",))],
       details=("码头的工作人员就在旁边，但没有人管。", "这些人每天都在，一看就是老面孔了。", "拉客的人态度很凶，不理他们还跟在后面骂。",
                "这种情况严重影响舟山旅游的形象。", "{me}拍了几张照片，可以提供。"),
       extra_details={"非法营运": ("拉客的车都是私家车，没有任何营运标志，车牌{plate}。",)},
       demands=("相关部门加强码头秩序整治", "依法打击黄牛和非法揽客", "增加执法人员巡查", "查处倒票行为"),
       finds={"ok": ("{dept}联合公安、港航等部门在{terminal}开展专项整治，对{n_cases}名揽客人员进行了教育劝离，对一辆非法营运车辆立案查处，并增加了高峰时段的巡查力量。",
                     "经查，反映的揽客人员系社会闲散人员，已移交公安机关处理，码头已在出口处增设引导员和警示牌。"),
              "part": ("{dept}已在{terminal}加强巡查，现场揽客现象有所减少，因揽客人员流动性强，将建立常态化整治机制。",),
              "fail": ("执法人员多次在{terminal}蹲点，未发现来电人反映的倒票行为，将继续关注。",)}),
    _T("touting_scenic", 0.8, profile="tourism", hours="tourism", tourism=1.0, field="文旅",
       problems=["黄牛揽客/强迫消费"], categories=["文化旅游/旅行社", "文化旅游/旅游秩序"],
       areas={"普陀山镇": 6, "朱家尖街道": 3, "沈家门街道": 3, "桃花镇": 1, "昌国街道": 1, "东极镇": 1, "解放街道": 0.5},
       biz="agency", dept={"wenlv": 7, "zone": 3}, alt=["shichang", "gongan", "zone"], ret=0.06, sat=0.83,
       titles=("反映导游强制消费", "投诉旅游强迫消费"),
       items=[_I(t=("旅行团强迫购物", "一日游被带进购物店", "投诉{biz}低价团强迫消费"),
                 b=("{me}参加了{biz}组织的{town_s}一日游，团费只有{fee}元，结果导游把大家带进三家购物店，每家待一个多小时，不买东西导游就甩脸色。",),
                 x=("签合同的时候行程单上写的是“纯玩无购物”。", "导游说不买东西的话后面的景点就不带大家去了。",
                    "团里都是外地游客，很多老人被忽悠买了所谓的“保健品”。", "{me}有合同和行程单，可以提供。")),
              _I(t=("{place}门口有人以“请香”为名高价揽客", "景区门口“请香”骗局"),
                 b=("在{place}附近有人拉客，说可以带去“开光”“请香”，到了以后被要求花{amount}元买香，不买不让走。",), biz=None),
              _I(t=("导游强制游客参加自费项目",),
                 b=("{me}跟{biz}的团游{town_s}，行程单上没有的自费项目导游硬要大家参加，每人{extra}元，不参加就让在车上等。",),
                 x=("签合同的时候行程单上写的是“纯玩无购物”。", "{me}有合同和行程单，可以提供。")),
              _I(t=("景区门口“观光车”揽客后加价",),
                 b=("{trip}在{place}门口被人拉去坐“观光车”，说好{fare}元一位，下车时改口说是单程价，回程另外收费。",), biz=None)],
       details=("当时人很多，不少游客都被拉过去了。", "景区门口的工作人员看到了也不管。", "这种做法让游客对景区的印象大打折扣。"),
       demands=("文旅部门依法查处", "依法处理强迫消费的行为", "帮忙退还不合理的费用", "加强景区周边秩序管理"),
       finds={"ok": ("经查，反映的经营者存在未按约定提供服务、诱导消费的情况，{dept}已依据《旅游法》立案调查，相关费用{refund}元已退还来电人。",
                     "{dept}约谈了相关经营者，责令其规范经营行为，涉事人员已被停止带团。"),
              "fail": ("经核查，来电人所参团旅行社非本市注册企业，已将线索移交其注册地文旅部门处理。",)}),
    _T("taxi", 2.0, profile="mixed", hours="tourism", tourism=0.55, field="交通运输",
       problems=["价格违法"], categories=["交通运输/出租车", "交通运输/客运管理"],
       areas={**_AREAS_URBAN, "朱家尖街道": 3, "普陀山镇": 0.5, "东港街道": 4}, dept={"jiaotong": 7, "@JTYS": 3},
       alt=["gongan", "jiaotong"], ret=0.03, sat=0.87,
       variants=[
           {"w": 5, "titles": ("出租车不打表", "出租车司机绕路多收费", "反映出租车议价", "出租车节假日乱加价"),
            "bodies": ("{me}{when}在{terminal}打了一辆出租车去{place}，车牌{plate}，司机不打表，一口价{fare}元，平时打表也就{nfare}元左右。",
                       "{me}{when}从{place}坐出租车回酒店，司机故意绕路，本来{nfare}元的路程花了{fare}元，车牌号{plate}。",
                       "{trip}在{town_s}打车，车牌{plate}的司机说节假日要加价，不同意就不拉，最后多付了{extra}元。")},
           {"w": 3, "problems": ["其他违法"], "titles": ("出租车拒载", "{terminal}出租车挑客拒载", "出租车嫌路近拒载"),
            "bodies": ("{me}{when}晚上在{terminal}排队打车，前面好几辆出租车都问去哪里，嫌近不拉，其中一辆车牌是{plate}。",
                       "{me}带着行李在{place}门口拦出租车，车牌{plate}的司机听说是去{town2}，直接说不去就开走了。",
                       "{when}下大雨，{me}在医院门口打车，出租车都不停，好不容易拦下一辆{plate}，司机说要拼车，不拼不走。")},
           {"w": 2, "problems": ["非法营运"], "titles": ("{place}附近黑车拉客", "非法营运车辆揽客", "私家车非法载客"),
            "bodies": ("{terminal}附近有私家车长期拉客，不打表，价格随口报，车牌号{plate}，出了事谁负责？",
                       "在{town_s}坐了一辆没有营运证的私家车，上车前说{nfare}元，到了要{fare}元，车牌{plate}。")}],
       details=("司机态度很差，还说“你去投诉好了”。", "发票没有给，{me}记下了车牌号。", "当时带着孩子，天又黑，只能先给钱。",
                "{me}用手机地图看了，明显是绕了一大圈。"),
       demands=("交通运输部门查处这名司机", "加强对出租车的管理", "依法打击非法营运", "退还多收的车费"),
       finds={"ok": ("经调取车辆GPS轨迹和营运记录，确认驾驶员{driver}存在违规经营行为，{dept}已依法对其立案处罚，并向来电人说明处理结果。",
                     "{dept}已约谈车辆所属公司，对驾驶员{driver}进行了批评教育并依法处理，公司已向来电人致歉。"),
              "fail": ("因来电人提供的车牌号信息不完整，暂无法查找到涉事车辆，已告知来电人下次乘车注意索要发票。",)}),
    _T("unlicensed_homestay", 0.8, profile="tourism", hours="civic", tourism=1.0, field="文旅",
       types={"举报": 0.7, "投诉": 0.3}, problems=["无证无照经营"], extra={"安全隐患": 0.3},
       categories=["文化旅游/民宿管理", "市场监管/无照经营"], areas=_AREAS_HOMESTAY, biz="homestay",
       dept={"wenlv": 5, "shichang": 2, "town": 2, "gongan": 1}, alt=["shichang", "town", "gongan", "wenlv"], ret=0.15,
       co=["gongan", "town"], co_p=0.18, sat=0.86,
       titles=("举报{town_s}无证民宿", "{place}附近“黑民宿”", "无证经营民宿存在安全隐患"),
       items=[_I(t=("反映有人私自改建房屋做民宿",),
                 b=("{town_s}{road}附近有一栋自建房挂着“{biz}”的牌子对外营业，在网上接单，据了解没有办理任何证照。",
                    "举报{town_s}{community}有住户把整栋楼隔成十几个小间当作“{biz}”经营，天天有游客拖着箱子进出，消防通道都堵了。")),
              _I(t=("入住的民宿没有证照", "民宿入住不登记身份证"),
                 b=("{me}{when}入住了{town_s}的{biz}，后来发现没有营业执照和特种行业许可证，入住连身份证都不用登记。",)),
              _I(t=("网上挂牌的民宿无证经营",),
                 b=("{town_s}村里新开的{biz}是在网上直接挂的，没有经营许可，旺季价格乱涨。",))],
       details=("楼道里堆满了杂物，没有灭火器。", "入住不需要登记身份信息。", "房东说证照在办理中，已经营业大半年了。",
                "周边邻居晚上被吵得睡不好。"),
       extra_details={"安全隐患": ("房间窗户装了防盗网，一旦着火根本逃不出来。", "电线乱拉，楼下还放着液化气瓶。")},
       demands=("相关部门核查依法取缔", "检查这家民宿是否有经营资质", "消除安全隐患", "规范民宿经营秩序"),
       finds={"ok": ("经核查，{biz}未取得民宿登记和营业执照，{dept}已责令其停止经营，并联合属地开展了消防安全检查。",
                     "{dept}会同属地对{biz}进行检查，经营者已补办相关证照，现已符合经营条件。"),
              "part": ("经查，{biz}正在办理证照，已责令在取得许可前停止接待游客，后续将跟踪复查。",),
              "fail": ("执法人员现场检查时该处未发现经营行为，将持续关注。",)}),
    _T("scenic_parking", 0.8, profile="tourism", hours="tourism", tourism=1.0, field="市场监管",
       problems=["价格违法"], categories=["市场监管/价格收费", "交通运输/停车管理", "文化旅游/旅游秩序"],
       areas={"朱家尖街道": 5, "沈家门街道": 4, "桃花镇": 1, "菜园镇": 2, "秀山乡": 1, "昌国街道": 1, "东沙镇": 1, "嵊山镇": 1},
       biz="parking", dept={"shichang": 5, "jiaotong": 2, "zonghe": 1.5, "zone": 1.5},
       alt=["jiaotong", "zonghe", "shichang"],
       ret=0.12, sat=0.86,
       titles=("景区停车收费不合理", "{place}停车乱收费"),
       items=[_I(t=("{biz}超标准收费", "{place}停车场乱收费"),
                 b=("{me}{when}把车停在{place}旁边的{biz}，停了不到三个小时收了{amount}元，收费牌上写的是每小时5元。",)),
              _I(t=("有人私自占道收停车费",),
                 b=("{place}附近路边有人私自划线收停车费，没有任何收费票据，一次收{fare}元。",), biz=None),
              _I(t=("{biz}收费标准未公示", "节假日停车“一口价”"),
                 b=("{trip}在{town_s}的{biz}停车，收费员说节假日统一一次{fare}元，门口没有公示收费标准。",))],
       details=("收费员不给发票，也不出示收费许可。", "收费标准没有在显眼位置公示。", "周边停车位很少，游客没得选择。"),
       demands=("相关部门查处乱收费行为", "规范景区停车收费", "退还多收的停车费"),
       finds={"ok": ("经核查，反映的停车收费未按规定公示收费标准，已责令立即整改，多收费用已退还来电人。",
                     "执法人员对私自占道收费人员进行了劝离，并在该路段设置了禁止收费提示牌。")}),
    _T("online_rental", 0.5, profile="mixed", hours="night", tourism=1.0, field="公安", types={"投诉": 0.5, "举报": 0.5},
       problems=["无证无照经营"], extra={"噪声扰民": 0.3}, categories=["公安/治安管理", "文化旅游/住宿业", "城乡建设/物业管理"],
       areas=_AREAS_URBAN, dept={"gongan": 4, "wenlv": 3, "zhujian": 1, "town": 2},
       alt=["gongan", "wenlv", "shichang", "zhujian", "town"],
       ret=0.25, co=["town"], co_p=0.12, sat=0.8,
       titles=("{community}网约房问题", "反映网约房管理混乱"),
       items=[_I(t=("小区住宅被改成网约房", "{community}多套住房做日租"),
                 b=("{community}有好几套房子被人租下来做成网约房，在{platform}上日租，每天进进出出的都是陌生人，用密码锁自助入住。",)),
              _I(t=("{community}网约房扰民", "楼上网约房半夜开派对"),
                 b=("{me}住在{community}，楼上那套房子变成了网约房，经常半夜有人拖箱子、开派对，物业说管不了。",)),
              _I(t=("反映网约房不登记身份", "网约房入住不核验身份"),
                 b=("{community}的网约房入住不用登记身份证，扫码就能拿到门锁密码，小区安全没有保障。",))],
       details=("物业说这是业主的权利，他们没有执法权。", "打过110，民警来了也只是劝一下。", "门禁卡被外人随意使用。",
                "不知道这种网约房到底归哪个部门管。"),
       extra_details={"噪声扰民": ("每到周末晚上就特别吵，凌晨一两点还在喝酒唱歌。",)},
       demands=("相关部门明确监管责任，加强管理", "对网约房经营进行规范", "督促经营者落实住客登记"),
       finds={"ok": ("经核查，涉事网约房未落实住客实名登记，属地派出所已责令经营者整改，并纳入日常检查。",
                     "{dept}联合属地街道、物业对{community}网约房进行了排查，督促经营者安装身份核验设备，规范入住登记。"),
              "part": ("已对经营者进行约谈和登记，因网约房管理职责尚在厘清中，后续将按照会商结论落实监管。",)}),
    _T("esports_hotel", 0.3, profile="mixed", hours="night", tourism=1.0, field="市场监管",
       problems=["虚假宣传"], categories=["市场监管/消费纠纷", "文化旅游/住宿业"], areas=_AREAS_URBAN, biz="esports",
       dept={"shichang": 5, "wenlv": 3}, alt=["wenlv", "shichang", "gongan"], ret=0.2, sat=0.82,
       variants=[{"w": 3, "titles": ("{biz}网速与宣传不符", "电竞酒店宣传“千兆网络”实际很卡"),
                  "bodies": ("{me}{when}入住{biz}，房间宣传的是“千兆光纤、顶配电脑”，实际打游戏延迟特别高，测速只有几十兆。",
                             "{biz}在平台上写的是“电竞专用网络”，{me}和朋友开了一间双人电竞房，整晚掉线，要求退款被拒。")},
                 {"w": 2, "field": "文旅", "problems": ["其他违法"], "dept": {"wenlv": 6, "gongan": 2},
                  "titles": ("{biz}接待未成年人", "反映电竞酒店让未成年人入住"),
                  "bodies": ("{me}的孩子才十五岁，{when}和同学用别人的身份证在{biz}开了电竞房，通宵打游戏，酒店根本没有核实身份。",
                             "{community}附近的{biz}经常有穿校服的学生进出，晚上不回家，酒店对未成年人入住不管不问。")}],
       details=("前台说网络是运营商的问题，跟他们无关。", "房间价格比普通酒店贵一倍，就是冲着网络和设备去的。"),
       demands=("相关部门核查处理", "督促酒店整改", "加强对电竞酒店的监管"),
       finds={"ok": ("{dept}对{biz}进行了检查，责令其整改相关问题，并纳入重点监管名单。",)}),
    _T("hotel_hygiene", 0.4, profile="tourism", hours="tourism", tourism=1.0, field="卫生健康",
       problems=["其他违法"], categories=["卫生健康/公共场所卫生", "文化旅游/住宿业"], areas=_AREAS_TOURISM, biz="hotel",
       dept={"weijian": 6, "wenlv": 3}, alt=["wenlv", "shichang"], ret=0.1, sat=0.84,
       titles=("{biz}卫生状况差", "反映酒店卫生问题"),
       items=[_I(t=("酒店床品未更换",), b=("{me}{when}入住{town_s}的{biz}，床单上有明显的头发和污渍，毛巾发黄，明显没有更换。",)),
              _I(t=("酒店房间有蟑螂",), b=("{biz}房间里有蟑螂爬来爬去，卫生间下水道反味，前台说旺季没办法换房。",)),
              _I(t=("酒店杯具清洁不规范",), b=("在{biz}住了两晚，发现保洁员用同一块抹布擦马桶和杯子，太恶心了。",))],
       details=("{me}拍了视频，可以提供。", "酒店还是挂着星级牌子的。", "要求退房，前台只同意给个早餐券。"),
       demands=("卫生监督部门检查这家酒店", "依法查处", "督促酒店整改"),
       finds={"ok": ("卫生监督员于{rdate}对{biz}进行了监督检查，发现布草更换记录不全、杯具消毒不规范，已依法出具卫生监督意见书并责令整改。",)}),
    # ---------------------------------------------------------------- other enforcement
    _T("noise_construction", 2.5, profile="civic", hours="construction", field="综合执法",
       problems=["噪声扰民"], categories=["城乡建设/施工噪声", "生态环境/噪声污染", "综合执法/建筑工地"],
       areas=_AREAS_URBAN, biz="construction", dept={"zonghe": 8, "town": 1, "shengtai": 1},
       alt=["zonghe", "shengtai", "zhujian"], ret=0.04, co=["zhujian"], co_p=0.1, sat=0.83,
       titles=("{site}夜间施工噪音扰民", "反映工地深夜施工", "夜间施工影响休息", "工地凌晨施工噪声大"),
       items=[_I(t=("{community}旁边工地晚上还在打桩",),
                 b=("{community}旁边由{biz}承建的{site}{when_night}还在施工，打桩机、切割机的声音特别大，周边居民根本没法睡觉。",)),
              _I(t=("{biz}工地连续夜间施工",),
                 b=("{biz}承建的{site}连续几天晚上施工到凌晨，渣土车进进出出，噪音和灰尘都很大。",)),
              _I(t=("工地清早五点开工扰民",),
                 b=("{road}的{site}每天早上五点多就开始施工，{me}家离工地不到五十米，老人孩子都被吵醒。施工单位是{biz}。",)),
              _I(t=("工地夜间浇筑未公示许可",),
                 b=("{biz}负责的{site}夜里浇筑混凝土，搅拌车一直开着，问了工人说有夜间施工许可，但工地门口没有公示。",))],
       details=("{me}已经反映过{n_times}，每次来人看一下就走了，晚上照样施工。", "家里孩子明年要中考，晚上根本没法复习。",
                "工地门口没有张贴夜间施工公告。", "周边有好几个小区，很多居民都有意见。", "{me}录了视频，噪音肯定超标。"),
       demands=("综合执法部门到现场查处", "依法制止夜间违规施工", "核实工地是否办理了夜间施工许可", "让工地合理安排施工时间"),
       finds={"ok": ("执法人员于当晚到场核查，{site}未办理夜间施工审批，已责令立即停止夜间施工，并依法立案调查。",
                     "经核查，{biz}已办理夜间连续施工证明，但未按规定公示，已责令其公示并采取降噪措施，合理安排作业时间。"),
              "part": ("该工地因混凝土浇筑工艺需连续作业，已办理夜间施工许可，执法人员已督促其采取隔声措施并提前告知周边居民。",),
              "fail": ("执法人员于夜间两次到场，未发现施工作业，将继续关注。",)}),
    _T("noise_entertainment", 2.0, profile="night", hours="night", field="公安", problems=["噪声扰民"],
       categories=["公安/噪声扰民", "生态环境/噪声污染", "文化旅游/娱乐场所"], areas=_AREAS_URBAN, biz="entertainment",
       dept={"gongan": 8, "zonghe": 1, "wenlv": 1}, alt=["gongan", "zonghe", "shengtai"], ret=0.06, sat=0.84,
       titles=("反映夜间噪音扰民", "深夜噪声影响休息"),
       items=[_I(t=("{biz}噪音扰民", "{community}附近KTV凌晨还很吵"),
                 b=("{community}楼下的{biz}每天晚上营业到凌晨两三点，音响声音开得很大，低音震得窗户都在响。",
                    "{biz}装修后改成了驻唱的，晚上声音一直传到楼上，{me}家就在正上方。")),
              _I(t=("酒吧门口深夜喧哗",),
                 b=("{road}的{biz}门口经常有人喝酒喧哗到半夜，还放很大声的音乐。",)),
              _I(t=("广场舞音响声音太大", "{community}广场舞扰民"),
                 b=("{community}广场上每天晚上都有人跳广场舞，音响开得特别响，一直跳到九点半以后。",
                    "{community}门口的小广场每天早上六点就有人放音乐锻炼，声音很大，周末也不例外。"), biz=None,
                 dm=("民警到现场管一管", "控制音量和时间", "彻底解决噪声扰民问题"))],
       details=("打过110，民警来了就关小一点，走了又开大。", "{me}上夜班，白天要睡觉，晚上又被吵得睡不着。",
                "小区里很多老人都有意见。", "{me}已经反映过{n_times}了。"),
       demands=("公安部门依法处理", "让经营者采取隔音措施", "控制音量和时间", "彻底解决噪声扰民问题"),
       finds={"ok": ("属地派出所民警到场对相关人员进行了警告，责令其控制音量、采取隔音措施，经回访噪声问题已明显改善。",
                     "民警已到场劝导，相关人员同意晚上八点半前结束活动并调低音量。"),
              "part": ("民警已对相关人员进行教育并责令整改，因隔音改造需要时间，将持续跟踪。",)}),
    _T("noise_commercial", 1.0, profile="civic", hours="tourism", field="综合执法", problems=["噪声扰民"],
       categories=["综合执法/市容管理", "生态环境/噪声污染"], areas=_AREAS_URBAN, biz="shop",
       dept={"zonghe": 7, "town": 3}, alt=["town", "zonghe", "gongan"], ret=0.05, sat=0.87,
       titles=("商铺噪声扰民", "沿街商铺噪音"),
       items=[_I(t=("商铺高音喇叭扰民", "{biz}门口喇叭循环播放"),
                 b=("{road}沿街的{biz}门口放着高音喇叭循环播放促销广告，从早上八点放到晚上十点。",
                    "{biz}每天在店门口搞促销活动，音响开得特别大，周边住户没法正常休息。")),
              _I(t=("夜排档噪音大",), b=("{town_s}{road}的夜排档晚上划拳、放音乐，一直吵到后半夜。",), biz=None)],
       details=("跟店主说过，店主说不放喇叭就没有生意。", "附近还有一所小学，上课都受影响。"),
       demands=("综合执法部门管一管", "制止商铺使用高音喇叭", "规范经营秩序"),
       finds={"ok": ("执法人员到场责令经营者立即停止使用高音喇叭招揽顾客，并对其进行了教育，目前已整改。",)}),
    _T("noise_industrial", 0.7, profile="civic", hours="night", field="生态环境", problems=["噪声扰民"],
       categories=["生态环境/噪声污染", "生态环境/工业企业"], areas=_AREAS_COAST, biz="factory",
       dept={"shengtai": 8, "zonghe": 2}, alt=["zonghe", "shengtai"], ret=0.08, sat=0.82,
       titles=("{biz}噪声扰民", "工厂夜间生产噪声扰民"),
       items=[_I(t=("船厂敲打声影响休息",), b=("{biz}晚上加班敲打船体、切割钢板，声音很大，附近居民一晚上都睡不好。",)),
              _I(t=("冷库机组噪声大",), b=("{road}的{biz}冷库机组二十四小时运转，嗡嗡声一直不停，{me}家离厂区不到一百米。",)),
              _I(t=("工厂风机噪声扰民",), b=("{town_s}{biz}新上了一条生产线，风机噪声特别大，晚上更明显。",))],
       details=("反映过好几次，厂里说在整改，但一直没有变化。", "厂区离居民区太近了。"),
       demands=("生态环境部门检测噪声是否超标", "督促企业采取降噪措施", "依法处理"),
       finds={"ok": ("执法人员对{biz}厂界噪声进行了监测，夜间噪声超过排放标准，已责令限期整改并依法立案。",),
              "part": ("经监测，{biz}厂界噪声基本达标，已督促企业对设备加装隔声罩，进一步减轻对周边影响。",)}),
    _T("illegal_construction", 3.0, profile="civic", hours="civic", field="综合执法", types={"举报": 0.7, "投诉": 0.3},
       problems=["违章建筑/违法用地"], categories=["城乡建设/违章建筑", "综合执法/违法建设"],
       areas=_AREAS_CIVIC, dept={"zonghe": 6, "town": 3, "ziyuan": 1}, alt=["zonghe", "ziyuan", "zhujian", "town"],
       ret=0.09, co=["town", "ziyuan"], co_p=0.14, sat=0.81, id_p=0.05,
       titles=("举报违章搭建", "反映违法建设", "举报{community}违建"),
       items=[_I(t=("顶楼住户私自搭建阳光房",), b=("{community}{building}幢顶楼住户正在私自搭建阳光房，已经搭了钢架，施工噪音也很大。",)),
              _I(t=("一楼住户扩建院子占用公共绿地",), b=("{community}一楼住户把公共绿地圈进自家院子，还砌了围墙搭了棚子。",)),
              _I(t=("商铺违法搭建雨棚",), b=("{road}沿街商铺违法搭建雨棚，延伸到人行道上，下雨天行人只能走机动车道。",)),
              _I(t=("反映村里有人违建", "农房违规加层"), b=("{town_s}{village}村有人在老房子旁边加盖了两层，没有任何审批手续。",)),
              _I(t=("业主封闭露台改变结构",), b=("{community}有业主把露台封闭改成房间，还在外墙上开了门洞，破坏了房屋结构。",))],
       details=("物业劝阻过，对方不听。", "违建挡住了楼下住户的采光。", "{me}担心影响整栋楼的安全。",
                "现在还在施工，再不管就建好了。", "之前有人举报过，来人看了一眼就走了。"),
       demands=("综合执法部门依法拆除", "及时制止违建行为", "依法查处", "尽快到现场查看"),
       finds={"ok": ("执法人员到现场核查，该搭建未取得规划许可，已下达责令限期拆除决定书，当事人已自行拆除。",
                     "经查，反映的搭建属在建违法建设，已责令立即停止施工，并会同属地依法予以拆除。"),
              "part": ("已对违法建设立案查处并下达限期拆除通知，当事人已拆除部分构件，剩余部分将依法督促拆除。",),
              "fail": ("经核查，该建筑系历史遗留建筑，已按相关政策登记在册，暂不予拆除，已向来电人解释。",)}),
    _T("land_use", 0.8, profile="civic", hours="civic", field="资源规划", types={"举报": 0.8, "投诉": 0.2},
       problems=["违章建筑/违法用地"], categories=["自然资源/违法用地", "自然资源/矿产资源", "农业农村/宅基地"],
       areas=_AREAS_RURAL, dept={"ziyuan": 7, "town": 2, "nongye": 1}, alt=["ziyuan", "nongye", "town", "zonghe"],
       ret=0.12, co=["town"], co_p=0.15, sat=0.81,
       titles=("举报违法用地", "反映乱占土地"),
       items=[_I(t=("举报占用耕地建房", "基本农田上挖塘建房"), b=("{town_s}{village}村有人在基本农田上挖塘搞养殖，还建了两间管理用房。",)),
              _I(t=("反映非法开挖山体",), b=("{town_s}{village}村后山有人用挖掘机开挖山体取土，晚上偷偷运走，山体已经挖出一个大口子。",),
                 x=("白天不干，晚上挖，明显是怕被查。",)),
              _I(t=("村里有人乱占林地",), b=("{town_s}{village}村有村民在林地里平整土地堆放建材，砍了不少树。",)),
              _I(t=("宅基地未批先建",), b=("{me}申请宅基地好几年都没批下来，{town_s}{village}村却有人未批先建，没有人管。",))],
       details=("村里很多人都看到了，就是没人敢说。", "{me}可以带执法人员去现场。", "再不制止，这片地就恢复不了了。"),
       demands=("自然资源部门依法查处", "制止违法占地行为", "恢复土地原状"),
       finds={"ok": ("经现场核查，该地块未办理用地审批手续，{dept}已立案查处，责令当事人退还非法占用的土地并恢复原状。",),
              "part": ("经核查，反映的行为属实，已责令停止并立案调查，土地复垦需待雨季后实施。",)}),
    _T("wage_arrears", 3.0, profile="civic", hours="civic", field="人社", problems=["欠薪/劳动违法"],
       categories=["劳动保障/工资拖欠", "劳动保障/劳动关系"], areas=_AREAS_CIVIC, biz="employer",
       dept={"renshe": 9, "town": 1}, alt=["renshe", "zhujian"], ret=0.03, co=["zhujian"], co_p=0.06, sat=0.8, id_p=0.5,
       titles=("{employer}拖欠工资", "讨要工资", "反映单位欠薪"),
       items=[_I(t=("反映公司拖欠{months}个月工资",),
                 b=("{me}在{employer}工作，公司已经拖欠{months}个月工资共{wage}元，老板一直说资金周转困难。",)),
              _I(t=("工地拖欠农民工工资", "讨要劳务费"),
                 b=("{me}和{workers}个老乡在{employer}承包的{site}干活，包工头拖欠工资{wage}元，现在人都联系不上了。",)),
              _I(t=("离职后公司不发工资",),
                 b=("{me}{when}从{employer}离职，按约定应该在月底结清工资，到现在还有{wage}元没有发。",)),
              _I(t=("公司不签劳动合同不缴社保", "未签劳动合同"),
                 b=("{employer}没有跟{me}签劳动合同，也没有缴社保，现在辞职了连最后一个月的工资都不给。",)),
              _I(t=("计件工资被克扣",),
                 b=("{me}在{employer}做电焊，计件工资{wage}元被以各种理由克扣，问了几次都说要等年底。",))],
       details=("{me}手里有考勤记录和工资条。", "家里还等着这笔钱交孩子的学费。", "老板说再闹就一分钱也不给。",
                "和{me}一样被欠薪的还有好几个人。", "去公司找过好几次，门卫不让进。"),
       demands=("劳动监察部门帮忙讨要工资", "依法督促企业支付工资", "帮助农民工维权", "尽快处理"),
       finds={"ok": ("劳动保障监察大队约谈了{employer}负责人，经督促，企业已于{rdate}支付拖欠工资{wage}元。",
                     "经调查，{employer}确实存在拖欠工资行为，已下达劳动保障监察责令改正决定书，企业已结清欠薪。"),
              "part": ("经协调，{employer}已支付部分工资，剩余款项承诺在月底前付清，监察大队将跟踪落实。",),
              "fail": ("经核查，双方对工作时间和工资标准存在争议，属劳动争议范畴，已引导来电人申请劳动仲裁。",)}),
    _T("food_safety", 2.5, profile="mixed", hours="civic", tourism=0.2, field="市场监管", problems=["食品安全"],
       categories=["市场监管/食品安全", "市场监管/餐饮服务"], areas=_AREAS_URBAN, biz="restaurant",
       dept={"shichang": 10}, alt=["shichang", "weijian"], ret=0.02, sat=0.86,
       titles=("反映{biz}食品安全问题", "食品安全投诉"),
       variants=[{"w": 5, "items": [
                     _I(t=("{biz}饭菜有异物",), b=("{me}{when}在{biz}吃饭，菜里吃出了一根钢丝球的丝，跟老板说了，老板只说给换一盘。",)),
                     _I(t=("吃了{biz}的饭菜后腹泻",), b=("{me}一家{n_people}口{when}在{biz}吃了晚饭，当天夜里都开始腹泻，去医院看了说是急性肠胃炎。",)),
                     _I(t=("反映{biz}后厨卫生差",), b=("{me}路过{biz}后门，看到后厨地上到处是污水，生肉和熟食放在一起，苍蝇很多。",)),
                     _I(t=("外卖吃出异物",), b=("{me}在外卖平台上点了{biz}的盒饭，吃到一半发现里面有一只虫子。",))]},
                 {"w": 3, "biz": "shop", "items": [
                     _I(t=("{biz}销售过期食品", "超市卖过期{food}"),
                        b=("{me}{when}在{biz}买的{food}，回家发现已经过期{days_over}天了，货架上还有好几包一样的。",)),
                     _I(t=("购买的{food}变质",), b=("{me}在{road}的{biz}买了{food}，打开后发现有异味，看了生产日期已经过了保质期。",)),
                     _I(t=("{biz}篡改食品生产日期",), b=("{biz}把临期和过期的{food}混在一起卖，标签还被重新贴过。",))]}],
       details=("{me}保留了照片和购物凭证。", "店里好像连健康证都没有挂出来。", "店家的态度很差，不承认是他们的问题。",
                "希望执法人员去查一下。"),
       demands=("市场监管部门检查这家店的食品安全", "依法查处", "督促商家赔偿", "加强监管"),
       finds={"ok": ("执法人员于{rdate}对{biz}进行了现场检查，发现存在食品贮存不规范等问题，已责令立即整改并依法立案调查。",
                     "经核查，{biz}存在销售不符合食品安全标准食品的行为，已依法查处，经调解商家按规定向来电人赔偿。"),
              "part": ("执法人员检查了{biz}，发现进货查验记录不全，已责令整改；来电人所述情况因证据不足无法完全认定。",),
              "fail": ("因来电人所购食品已丢弃，无法进行检验，暂无法认定，已对{biz}开展监督检查，未发现违法行为。",)}),
    _T("consumer_dispute", 2.0, profile="civic", hours="civic", field="市场监管", problems=["产品质量"],
       categories=["市场监管/消费纠纷", "市场监管/产品质量"], areas=_AREAS_URBAN, biz="shop",
       dept={"shichang": 9, "@SWJ": 1}, alt=["shichang", "@SWJ"], ret=0.03, sat=0.85,
       titles=("消费纠纷投诉", "反映商家售后问题"),
       variants=[{"w": 5, "dept": {"shichang": 10}, "items": [
                     _I(t=("电动车质量问题商家不退换",), b=("{me}{when}在{biz}买了一台电动车，骑了不到一个月电池就鼓包了，商家不给退换。",)),
                     _I(t=("{biz}售后推诿",), b=("{me}在{biz}买的电饭煲用了两次就漏电，找商家售后，一直推给厂家。",)),
                     _I(t=("买到假冒商品", "怀疑买到假酒"), b=("{me}在{road}的{biz}买了一瓶白酒，喝起来味道不对，怀疑是假酒。",))],
                  "details": ("发票和购物凭证都在。", "商家说过了七天就不管了。", "{me}担心其他人也会上当。")},
                 {"w": 4, "problems": ["其他违法"], "biz": "prepaid", "items": [
                     _I(t=("{biz}突然关门，预付卡无法退款", "反映办卡后商家跑路"),
                        b=("{me}在{biz}办了一张{amount}元的会员卡，还剩一大半没用，{when}去发现店已经关门了，老板电话打不通。",)),
                     _I(t=("{biz}换老板后不认会员卡",), b=("{biz}换了老板后说以前的会员卡不认了，{me}卡里还有{amount}元。",)),
                     _I(t=("{biz}拒绝退还预付款",), b=("{me}给孩子在{biz}充值了{amount}元，现在搬家了想退卡，商家说只能转让不能退。",))],
                  "details": ("充值记录和会员卡都还在。", "办卡的时候店员说随时可以退。", "听说办了卡的人有好几十个。")}],
       demands=("市场监管部门帮忙协调", "督促商家退款", "依法查处"),
       finds={"ok": ("经{dept}调解，{biz}同意为来电人办理退款{refund}元，来电人表示满意。",),
              "fail": ("经核查，{biz}经营者已失联，{dept}已将相关线索移交公安机关，并告知来电人可通过诉讼途径主张权利。",)}),
    _T("price_general", 1.5, profile="civic", hours="civic", field="市场监管", problems=["价格违法"],
       categories=["市场监管/价格收费"], areas=_AREAS_URBAN, biz="shop", dept={"shichang": 9, "@FGW": 1},
       alt=["shichang", "@FGW", "zhujian"], ret=0.04, sat=0.87,
       titles=("反映价格违法", "商家价格问题"),
       items=[_I(t=("{biz}标价与结算价不一致", "反映超市价签不符"),
                 b=("{me}{when}在{biz}买东西，货架上标的价格是{up}元，结账时扫出来是{up_hi}元。",
                    "{me}在{biz}买了特价商品，收银时还是按原价收的，发现后店员说系统没改过来。")),
              _I(t=("{biz}商品不明码标价",), b=("{biz}的商品很多都没有价签，结账时随口报价。",))],
       details=("不是第一次遇到这种情况了。", "{me}留了购物小票。"),
       demands=("相关部门查处", "规范明码标价", "退还多收的钱"),
       finds={"ok": ("执法人员对{biz}进行了检查，发现部分商品价签未及时更新，已责令整改，多收款项已退还来电人。",)}),
    _T("pollution", 2.0, profile="civic", hours="civic", field="生态环境", types={"投诉": 0.6, "举报": 0.4},
       problems=["环境污染"], categories=["生态环境/大气污染", "生态环境/水污染", "生态环境/工业企业"],
       areas=_AREAS_COAST, biz="factory", dept={"shengtai": 9, "zonghe": 1}, alt=["shengtai", "zonghe", "nongye"],
       ret=0.05, sat=0.8,
       titles=("反映企业污染", "举报环境污染"),
       items=[_I(t=("{biz}排放臭气", "鱼粉厂腥臭味严重"), b=("{biz}生产时散发出很浓的腥臭味，整个{town_s}都能闻到，晚上更严重。",),
                 c=("生态环境/大气污染",)),
              _I(t=("企业偷排污水入海",), b=("{town_s}海边有一根管子往海里排黑水，旁边就是{biz}，怀疑是偷排。",), c=("生态环境/水污染",)),
              _I(t=("反映工厂废气扰民", "工厂烟囱冒黑烟"), b=("{road}附近的{biz}烟囱冒黑烟，风一吹全飘到居民区，衣服都不敢晾在外面。",),
                 c=("生态环境/大气污染",)),
              _I(t=("工厂污水排入河道",), b=("{biz}的污水直接排到河道里，河水发黑发臭。",), c=("生态环境/水污染",))],
       details=("晚上十点以后排得最厉害。", "{me}拍了视频。", "附近居民都在议论这件事。", "已经持续好几个月了。"),
       demands=("生态环境部门依法查处", "对企业进行排放监测", "尽快解决"),
       finds={"ok": ("执法人员对{biz}进行了突击检查，发现其污染防治设施未正常运行，已责令停产整改并依法立案处罚。",
                     "经对排放口采样监测，{biz}排放超标，已依法立案查处，企业已完成整改。"),
              "part": ("经监测，{biz}排放基本达标，但生产期间异味仍较明显，已督促企业升级除臭设施。",)}),
    _T("cooking_fumes", 1.0, profile="civic", hours="tourism", field="综合执法", problems=["环境污染"],
       categories=["综合执法/餐饮油烟", "生态环境/大气污染"], areas=_AREAS_URBAN, biz="restaurant",
       dept={"zonghe": 8, "shengtai": 1, "town": 1}, alt=["shengtai", "zonghe", "town"], ret=0.1, sat=0.83,
       titles=("{biz}油烟扰民", "餐饮油烟问题"),
       items=[_I(t=("餐饮店油烟直排",), b=("{community}楼下的{biz}没有装油烟净化器，油烟直接往楼上飘，{me}家窗户都不敢开。",)),
              _I(t=("烧烤店露天烧烤烟雾大",), b=("{road}的{biz}每天晚上在店门口露天烧烤，烟雾很大，满街都是味道。",)),
              _I(t=("排烟管道正对居民卧室",), b=("{biz}的排烟管道正对着{me}家卧室，油烟和噪音都很大。",))],
       details=("跟老板说过，老板说装净化器要好几万。", "家里有人有哮喘。"),
       demands=("综合执法部门处理", "督促安装油烟净化设施", "制止露天烧烤"),
       finds={"ok": ("执法人员到场检查，{biz}油烟净化设施未正常使用，已责令整改，现已安装并正常运行。",)}),
    _T("street_occupation", 2.0, profile="civic", hours="tourism", field="综合执法", problems=["占道经营/市容"],
       categories=["综合执法/占道经营", "综合执法/市容管理"], areas=_AREAS_URBAN,
       dept={"zonghe": 6, "town": 4}, alt=["town", "zonghe"], ret=0.05, sat=0.87,
       titles=("占道经营问题", "反映市容秩序问题"),
       items=[_I(t=("{road}流动摊贩占道经营", "路边摊贩堵塞交通"),
                 b=("{road}每天傍晚都有十几个流动摊贩占道摆摊，卖水果、卖小吃的都有，行人只能走到车道上。",)),
              _I(t=("商铺出店经营占用人行道",), b=("{road}沿街商铺把货物摆到人行道上，还搭了遮阳棚，盲道被完全占用。",)),
              _I(t=("{market}周边乱摆摊",), b=("{market}门口早上都是摆地摊卖海鲜的，污水流得满地都是，车也开不过去。",)),
              _I(t=("小区门口长期摆摊修车",), b=("{community}门口有人长期摆摊修车，把小区出入口堵了一半。",))],
       details=("早晚高峰特别堵。", "执法队员来了就跑，走了又回来。", "地上污水和垃圾没人清理。"),
       demands=("综合执法部门加强管理", "规范摊贩经营", "还行人一条通道"),
       finds={"ok": ("执法中队已对反映路段的占道经营行为进行了集中整治，劝离流动摊贩{n_cases}处，并安排人员定时巡查。",
                     "执法人员责令沿街商铺将货物搬回店内，对拒不整改的一家依法作出处罚。")}),
    _T("property_violation", 1.5, profile="civic", hours="civic", field="住建",
       problems=["其他违法"], extra={"安全隐患": 0.35}, categories=["城乡建设/物业管理", "城乡建设/房地产"],
       areas=_AREAS_URBAN, biz="property", dept={"zhujian": 7, "town": 3}, alt=["town", "zhujian", "@XFZD"],
       ret=0.08, sat=0.8,
       titles=("反映物业违规", "物业管理问题"),
       items=[_I(t=("{biz}不公开收支",),
                 b=("{community}的物业{biz}收了业主的公共收益，从来不公示收支情况，业主委员会要账目也不给。",)),
              _I(t=("小区电梯长期故障物业不修",),
                 b=("{community}{building}幢电梯坏了快一个月了，物业{biz}说维修资金申请不下来，老人上下楼很困难。",)),
              _I(t=("物业擅自提高收费",),
                 b=("{biz}没有召开业主大会就把{community}的物业费从每平方1.2元涨到1.8元，不交还不让进车库。",)),
              _I(t=("开发商逾期不办产证",),
                 b=("{community}交房已经三年了，开发商一直不给办不动产权证，物业{biz}也说不清楚原因。",))],
       details=("业主们已经多次向物业提出，没有任何回应。", "{me}向社区反映过，社区说管不了物业公司。"),
       extra_details={"安全隐患": ("小区的消防栓很多是空的，灭火器也过期了。", "电梯经常困人，维保记录都是补签的。")},
       demands=("住建部门督促物业整改", "依法查处", "维护业主权益"),
       finds={"ok": ("{dept}约谈了{biz}负责人，责令其限期整改，相关问题已整改到位。",),
              "part": ("经协调，{biz}已制定整改计划，部分问题已整改，剩余事项将跟踪落实。",)}),
    _T("safety_hazard", 1.5, profile="civic", hours="civic", field="应急消防", types={"举报": 0.6, "投诉": 0.4},
       problems=["安全隐患"], categories=["应急管理/消防安全", "应急管理/安全生产"], areas=_AREAS_CIVIC,
       dept={"yingji": 5, "town": 3, "zhujian": 1}, alt=["yingji", "town", "zhujian", "shichang"], ret=0.08, sat=0.87,
       titles=("反映安全隐患", "举报消防安全隐患"),
       items=[_I(t=("消防通道被堵",), b=("{community}消防通道长期被车辆占用，万一发生火灾消防车根本进不来。",)),
              _I(t=("楼道电动车充电存在隐患",), b=("{community}{building}幢楼道里有人私拉电线给电动车充电，晚上充一整夜。",)),
              _I(t=("违规存放液化气瓶",), b=("{road}一家小饭店在后院堆放了十几个液化气瓶，旁边就是居民楼。",)),
              _I(t=("群租房消防隐患",), b=("{community}有套房子被隔成了十几间出租，住了二十多个人，楼道里堆满杂物。",))],
       details=("物业劝了很多次都没用。", "前段时间别的地方刚出过事，大家都很担心。"),
       demands=("消防部门检查处理", "消除安全隐患", "依法查处"),
       finds={"ok": ("消防救援人员会同属地对现场进行了检查，责令相关人员立即清理，隐患已消除。",)}),
    _T("illegal_fishing", 0.8, profile="civic", hours="night", field="农业农村", types={"举报": 0.9, "投诉": 0.1},
       problems=["其他违法"], categories=["海洋渔业/渔业执法", "农业农村/渔业管理"], areas=_AREAS_COAST,
       dept={"nongye": 8, "@HYYY": 2}, alt=["nongye", "gongan"], ret=0.05, sat=0.86,
       titles=("举报违规捕捞", "渔业违法举报"),
       items=[_I(t=("举报禁渔期偷捕",), b=("{town_s}附近海域{when_night}有小船在禁渔期偷偷下网，凌晨靠岸卸货。",),
                 x=("每天半夜两三点最多。",)),
              _I(t=("有人违规电鱼",), b=("{town_s}{village}村的水库里有人用电瓶电鱼，小鱼都被电死了。",)),
              _I(t=("渔船违规捕捞幼鱼",), b=("{town_s}码头有渔船卸下来的都是很小的幼鱼，怀疑使用了违规网具。",)),
              _I(t=("反映海钓船违规经营",), b=("{town_s}有几条船私自拉游客出海海钓，没有任何资质和救生设备。",))],
       details=("{me}可以提供具体位置。", "这样下去渔业资源都被破坏了。"),
       demands=("渔业执法部门依法查处", "加强海上巡查", "严厉打击"),
       finds={"ok": ("渔政执法人员于夜间在{town_s}海域开展检查，查获违规作业船只一艘，已依法立案查处。",)}),
    _T("illegal_transport", 1.0, profile="civic", hours="civic", field="交通运输", problems=["非法营运"],
       categories=["交通运输/非法营运", "交通运输/道路运输"], areas=_AREAS_URBAN, dept={"jiaotong": 7, "gongan": 3},
       alt=["gongan", "jiaotong"], ret=0.05, sat=0.85,
       titles=("反映非法营运", "举报黑车"),
       items=[_I(t=("医院门口黑车揽客",), b=("{road}医院门口长期停着几辆私家车揽客，拉病人和家属，价格随口要。",)),
              _I(t=("反映非法营运三轮车",), b=("{town_s}有人用电动三轮车载客，车上挤五六个人，很不安全。",)),
              _I(t=("无资质车辆从事货运",), b=("{road}每天都有没有营运证的小货车拉客拉货，车牌{plate}，收费随意。",))],
       details=("车牌{plate}。", "出了事故找谁负责？"),
       demands=("交通部门依法查处", "加强巡查", "严厉打击非法营运"),
       finds={"ok": ("{dept}联合交警在该路段开展专项整治，查处非法营运车辆{n_cases}辆。",)}),
    _T("education_fees", 0.7, profile="civic", hours="civic", field="教育",
       problems=["无证无照经营"], extra={"价格违法": 0.3}, categories=["教育/校外培训", "教育/学校收费"],
       areas=_AREAS_URBAN, biz="training", dept={"jiaoyu": 9, "shichang": 1}, alt=["shichang", "jiaoyu"], ret=0.06,
       sat=0.85,
       titles=("反映培训机构问题", "校外培训投诉"),
       items=[_I(t=("举报无证培训机构",), b=("{community}里面有一家{biz}，在居民楼里开班，收了很多学生，听说没有办学许可证。",)),
              _I(t=("{biz}违规开展学科培训",), b=("{biz}暑假期间以“托管”为名开展语数外学科培训，一次性收了{amount}元。",)),
              _I(t=("培训机构拒退学费",), b=("{me}给孩子报了{biz}的课程，交了{amount}元，孩子上了两次不想去了，机构说不能退。",),
                 x=("合同里写着“概不退款”。",))],
       details=("教室很小，一间屋子挤了二十多个孩子。", "周边家长都很担心。"),
       extra_details={"价格违法": ("收费标准没有公示，每个学生收得都不一样。",)},
       demands=("教育部门依法查处", "督促机构退费", "规范校外培训"),
       finds={"ok": ("{dept}会同属地对{biz}进行了检查，责令其规范办学行为，并督促其退还学员费用。",)}),
    _T("medical", 0.5, profile="civic", hours="civic", field="卫生健康", types={"举报": 0.6, "投诉": 0.4},
       problems=["无证无照经营"], categories=["卫生健康/医疗机构", "卫生健康/非法行医"], areas=_AREAS_URBAN, biz="clinic",
       dept={"weijian": 9, "shichang": 1}, alt=["shichang", "weijian"], ret=0.06, sat=0.83,
       titles=("反映医疗机构违规", "举报非法行医"),
       items=[_I(t=("举报无证行医",), b=("{road}有一家挂着“推拿”牌子的店，实际在给人打针输液，没有医疗机构执业许可证。",), biz=None,
                 x=("店里还有很多老人在输液。",)),
              _I(t=("{biz}违规开展医美项目",), b=("{me}在{biz}做了一个美容项目，后来才知道操作的人没有医师资格，现在脸上出现了红肿。",)),
              _I(t=("诊所乱开药",), b=("{biz}看一个感冒开了{amount}元的药，很多药都用不上。",))],
       details=("{me}有收费单据。", "出了问题谁来负责？"),
       demands=("卫生健康部门依法查处", "核查从业资质"),
       finds={"ok": ("卫生监督员对反映的机构进行了检查，发现其存在超范围执业行为，已依法立案查处。",)}),
    _T("public_security", 0.8, profile="night", hours="night", field="公安", types={"举报": 0.8, "投诉": 0.2},
       problems=["其他违法"], categories=["公安/治安管理"], areas=_AREAS_URBAN, dept={"gongan": 10}, ret=0.01, sat=0.86,
       titles=("治安问题反映", "举报违法犯罪线索"),
       items=[_I(t=("举报聚众赌博",), b=("{community}{building}幢有一套房子每天晚上都有很多人进出，怀疑在里面聚众赌博。",)),
              _I(t=("反映有人半夜打架",), b=("{road}的烧烤店门口{when_night}有人喝醉了打架，砸了好几辆车。",)),
              _I(t=("电信诈骗案件进展询问",), b=("{me}{when}接到一个自称客服的电话，被骗转账{amount}元，已经报警，想问问案件进展。",)),
              _I(t=("棋牌室通宵营业",), b=("{road}有家棋牌室通宵营业，经常有人输了钱在门口吵闹。",))],
       details=("{me}不敢透露身份，怕被报复。", "附近居民都很害怕。"),
       demands=("公安部门依法查处", "加强巡逻"),
       finds={"ok": ("属地派出所民警对反映地点进行了检查，依法查处违法人员{n_cases}名。",)}),
    _T("enforcement_conduct", 1.2, profile="civic", hours="civic", kind="conduct", field="综合执法",
       problems=["执法不作为/乱作为"], categories=["行政执法/执法监督", "综合执法/执法投诉"], areas=_AREAS_CIVIC,
       dept={"zonghe": 6, "town": 2, "@SFJ": 1}, alt=["zonghe", "@SFJ"], ret=0.05, sat=0.75, id_p=0.15,
       variants=[
           {"w": 4, "titles": ("反映违建多次举报无人处理", "执法部门不作为", "举报多次没人管"),
            "bodies": ("{me}从{months}个月前就开始反映{community}的违建问题，打了{n_times}热线，每次答复都说“已责令整改”，到现在违建还在那里。",
                       "{road}占道经营的问题{me}反映了很多次，执法队每次来都是提前打招呼，人一走就恢复原样，明显是走过场。",
                       "邻居家违建的事{me}举报了半年，{dept_named}一直说在走程序，到底还要走多久？")},
           {"w": 2, "titles": ("执法人员态度粗暴", "反映执法过程不规范", "对罚款有异议"),
            "bodies": ("{me}{when}在{road}摆摊卖自家种的蔬菜，执法人员上来就把秤和筐子收走了，也没有出示证件，没有开任何单据。",
                       "{me}的车{when}停在{road}，被贴了罚单，但那个地方根本没有禁停标志，去申诉也没人理。",
                       "{dept_named}的执法人员在检查{me}的店时态度很差，当着顾客的面大声呵斥，还说要让{me}关门。")},
           {"w": 2, "field": "市场监管", "dept": {"shichang": 8, "@SFJ": 1}, "biz": "shop",
            "titles": ("举报后市场监管部门没有处理", "投诉一直没有结果"),
            "bodies": ("{me}在{biz}买到过期食品后向市场监管部门投诉，过了一个多月没有任何回复，打电话问说还在调查。",
                       "{me}反映{biz}价格欺诈，承办人员只是打电话问了商家就结案了，根本没到现场。")},
           {"w": 1, "field": "交通运输", "dept": {"jiaotong": 8, "@SFJ": 1},
            "titles": ("对交通执法处罚有异议", "反映运政执法不规范"),
            "bodies": ("{me}的货车{when}在{road}被交通执法人员拦下，说是超限，但现场没有称重，直接开了罚单。",
                       "交通执法人员对{me}的车辆扣押了十几天，一直说等通知，也没有给扣押决定书。")}],
       details=("{me}对处理方式很不满意。", "希望上级部门监督一下。", "{me}保留了相关证据。", "这样的处理让老百姓怎么信任政府？"),
       demands=("上级部门监督处理", "依法规范执法行为", "给个明确的说法", "督促相关部门依法履职"),
       finds={"ok": ("经调查核实，执法过程中存在程序不规范问题，已对相关执法人员进行批评教育，并向来电人说明情况、致歉。",
                     "已督促承办单位重新调查处理，现反映的问题已依法处置到位。"),
              "part": ("经核查，执法行为有法律依据，但告知不够充分，已要求执法人员规范文书送达和告知程序。",),
              "fail": ("经调查，执法人员依法履职，程序合法，已向来电人做好解释工作。",)}),
    # ---------------------------------------------------------------- non-enforcement
    _T("consult_social", 6.5, group="consult", enf=False, types={"咨询": 1.0}, field="人社",
       categories=["劳动保障/社会保险"], dept={"renshe": 1}, direct=0.6, sat=0.93, id_p=0.35,
       items=[_I(t=("咨询灵活就业人员社保缴费", "咨询养老保险补缴"), c=("劳动保障/社会保险",), d={"renshe": 1},
                 b=("{me}想咨询一下灵活就业人员的养老保险怎么续缴，之前在{district_s}交的，断了{months}个月，能不能补缴？",),
                 a=("灵活就业人员可通过浙里办或社保经办窗口办理续缴，中断期间可按规定补缴，具体以经办机构核定为准。",)),
              _I(t=("咨询医保异地就医备案", "咨询异地住院报销"), c=("医疗保障/医保政策",), d={"@YBJ": 1},
                 b=("{me}的母亲在外地住院，医保是舟山的，想问异地就医备案怎么办理，报销比例是多少。",),
                 a=("异地就医可通过国家医保服务平台或浙里办办理备案，备案后按参保地规定比例报销。",)),
              _I(t=("咨询公积金提取还贷",), c=("住房保障/公积金",), d={"@GJJ": 1},
                 b=("{me}想提取住房公积金用于还房贷，需要准备哪些材料，能不能在网上办？",),
                 a=("提取公积金偿还贷款可通过浙里办线上申请，审核通过后资金转入本人账户。",)),
              _I(t=("咨询退休手续办理",), c=("劳动保障/社会保险",), d={"renshe": 1},
                 b=("{me}明年{month_n}月满六十周岁，想问退休手续需要提前多久办理，在哪里办。",),
                 a=("退休手续可在达到退休年龄前一个月向参保地社保经办机构申请，可线上预约办理。",)),
              _I(t=("咨询失业金领取",), c=("劳动保障/就业失业",), d={"renshe": 1},
                 b=("{me}{when}被公司辞退了，想问失业保险金怎么申领，能领几个月。",),
                 a=("失业人员可通过浙里办或到参保地人社部门办理失业登记并申领失业保险金，领取期限根据缴费年限确定。",)),
              _I(t=("咨询社保转移接续",), c=("劳动保障/社会保险",), d={"renshe": 1},
                 b=("{me}是外地户籍在舟山工作，想问社保转移接续的流程。",),
                 a=("社保关系转移可通过国家社会保险公共服务平台或浙里办申请，转入地经办机构审核后办理。",))],
       details=("{me}在网上查了，说法不太一样。", "打了几个电话都没人接。", "{me}平时上班，最好能在网上办。")),
    _T("consult_household", 2.5, group="consult", enf=False, types={"咨询": 1.0}, field="公安",
       categories=["公安/户籍管理"], dept={"gongan": 10}, direct=0.65, sat=0.94, id_p=0.3,
       items=[_I(t=("咨询户口迁移",), b=("{me}想把孩子的户口从外地迁到舟山，需要什么材料？",),
                 a=("户口迁移可携带相关证明材料到户籍窗口办理，具体材料可在浙里办查询。",)),
              _I(t=("咨询居住证办理",), b=("{me}在{district_s}租房，想办居住证，要住满多长时间，去哪里办？",),
                 a=("居住满半年并有合法稳定居所的，可向居住地派出所申领居住证。",)),
              _I(t=("咨询护照办理",), c=("公安/出入境",), b=("{me}想办护照，问一下在{district_s}哪里可以办，要多久能拿到。",),
                 a=("护照可在出入境窗口办理，一般七个工作日左右可领取，也可选择邮寄。",)),
              _I(t=("咨询身份证补办",), b=("{me}的身份证丢了，能不能异地补办，临时身份证怎么办？",),
                 a=("居民身份证可跨省异地补领，补领期间可申领临时居民身份证。",))]),
    _T("consult_education", 2.5, group="consult", enf=False, types={"咨询": 1.0}, field="教育",
       categories=["教育/招生入学"], dept={"jiaoyu": 10}, direct=0.5, sat=0.92,
       items=[_I(t=("咨询小学入学政策", "咨询学区划分"), b=("{me}家孩子明年上小学，户口在{town}，房子在{community}，想问学区是怎么划分的。",),
                 a=("适龄儿童入学按学区划分实施，具体学区可查询教育局公布的年度招生方案。",)),
              _I(t=("咨询随迁子女入学",), b=("{me}是外地户籍，在舟山工作，孩子能不能在{district_s}读公办小学？需要什么条件？",),
                 a=("随迁子女入学可按积分入学政策申请，需提供居住证、社保缴纳证明等材料。",)),
              _I(t=("咨询转学手续",), b=("{me}想给孩子从外地转学回{district_s}，问一下转学手续怎么办。",),
                 a=("转学需先向转入学校提出申请，经同意后通过学籍系统办理转学手续。",)),
              _I(t=("咨询幼儿园报名",), b=("想咨询一下{district_s}的公办幼儿园什么时候报名，在哪里报。",),
                 a=("公办幼儿园报名时间以教育局发布的招生公告为准，一般在每年春季开展。",))]),
    _T("consult_housing", 2.5, group="consult", enf=False, types={"咨询": 1.0}, field="住建",
       categories=["城乡建设/住房保障"], dept={"zhujian": 1}, direct=0.45, sat=0.9,
       items=[_I(t=("咨询不动产登记", "咨询二手房过户"), c=("自然资源/不动产登记",), d={"ziyuan": 1},
                 b=("{me}刚买了{community}的二手房，想问过户和办理不动产权证需要哪些材料。",),
                 a=("不动产转移登记可在不动产登记窗口或浙里办办理，需携带买卖双方身份证明、不动产权证书及完税证明。",)),
              _I(t=("咨询公租房申请",), d={"zhujian": 1},
                 b=("{me}想申请公租房，家里收入比较低，问一下申请条件是什么。",),
                 a=("公租房申请需符合户籍、住房和收入条件，可向所在街道（乡镇）提出申请。",)),
              _I(t=("咨询人才购房补贴",), d={"zhujian": 1},
                 b=("听说舟山有人才购房补贴，{me}是本科毕业，刚来舟山工作，能不能申请？",),
                 a=("人才购房补贴按现行人才政策执行，可在人才服务平台查询申请条件并在线申报。",)),
              _I(t=("咨询老旧小区改造",), d={"zhujian": 1},
                 b=("{community}是老小区，想问今年有没有列入老旧小区改造计划。",),
                 a=("年度老旧小区改造计划由住建部门会同属地确定，可向所在街道咨询具体安排。",))]),
    _T("consult_ferry", 2.5, profile="tourism", hours="tourism", group="consult", enf=False, types={"咨询": 1.0},
       tourism=0.6, field="交通运输", categories=["交通运输/水路客运"],
       areas=_AREAS_TERMINAL, dept={"jiaotong": 7, "@JTYS": 3}, direct=0.75, sat=0.92,
       items=[_I(t=("咨询船班恢复时间", "咨询大风天气是否停航"),
                 b=("{me}{when}要去{town_s}，想问一下{ferry_route}的船明天开不开，听说要起大风。",
                    "现在船停了，{me}想问{ferry_route}的船什么时候能恢复。"),
                 a=("船班开航情况以港航部门和客运站当日公告为准，可关注客运站官方公众号查询。",)),
              _I(t=("咨询{ferry_route}船票",), b=("想咨询{ferry_route}的船票在哪里买，旺季需不需要提前预约。",),
                 a=("船票可通过官方购票平台或码头售票窗口购买，节假日建议提前预约。",)),
              _I(t=("咨询车辆过海预约",), c=("交通运输/港口码头",),
                 b=("{me}开车去{town_s}，问一下车辆过海要提前几天预约，车上的人是不是要另外买票。",),
                 a=("车辆过海需提前在购票平台预约车辆船票，随车人员另行购票，节假日请尽早预约。",)),
              _I(t=("咨询停航后船票退改",), b=("因为天气原因船停了，{me}买的船票怎么退，要不要手续费？",),
                 a=("因天气原因停航的船票可全额退票，不收手续费。",))]),
    _T("consult_tourism", 2.8, profile="tourism", hours="tourism", group="consult", enf=False,
       types={"咨询": 0.9, "求助": 0.1}, tourism=1.0, field="文旅", categories=["文化旅游/旅游咨询"],
       areas=_AREAS_TOURISM, dept={"wenlv": 6, "zone": 4}, direct=0.75, sat=0.94,
       items=[_I(t=("咨询{place}开放时间", "咨询景区门票"), b=("{me}{trip}想带家人去{place}，问一下景区几点开门，门票多少钱。",),
                 a=("景区开放时间及门票价格可通过景区官方平台查询，节假日请关注限流公告。",)),
              _I(t=("咨询景区老年人门票优惠",), b=("{me}家里有七十岁以上的老人，去{place}有没有门票优惠？",),
                 a=("老年人凭有效证件可享受景区门票相应优惠，具体以景区公示为准。",)),
              _I(t=("咨询普陀山香会期间交通",), b=("听说{guanyin}前后普陀山人很多，想问那几天上山要不要预约，交通怎么安排。",),
                 a=("香会及节假日期间普陀山实行预约和限流措施，请提前通过官方平台预约并关注船班安排。",)),
              _I(t=("游客物品遗失求助",), b=("{me}{when}在{place}游玩时把背包落在了观光车上，里面有证件，能不能帮忙找一下。",),
                 a=("已联系景区工作人员，背包已找到，来电人已领回。",), c=("文化旅游/景区服务",))]),
    _T("consult_business", 2.5, group="consult", enf=False, types={"咨询": 1.0}, field="市场监管",
       categories=["市场监管/登记注册"], dept={"shichang": 1}, direct=0.5, sat=0.92,
       items=[_I(t=("咨询个体户营业执照办理", "咨询食品经营许可证"), d={"shichang": 1},
                 b=("{me}想在{town_s}开一家小吃店，问一下办营业执照和食品经营许可证需要什么材料。",),
                 a=("个体工商户登记可通过浙里办全程网办，食品经营许可需提交经营场所及设施布局等材料。",)),
              _I(t=("咨询民宿开办手续",), d={"wenlv": 1}, c=("文化旅游/民宿管理",),
                 b=("{me}家在{town_s}有一栋自住房，想改成民宿经营，需要办哪些手续？",),
                 a=("民宿开办需办理营业执照、特种行业许可及消防、卫生等相关手续，可咨询属地乡镇（街道）民宿服务窗口。",)),
              _I(t=("咨询小微企业补贴政策",), d={"@FGW": 1, "@SWJ": 1}, c=("发展改革/惠企政策", "商务/企业服务"),
                 b=("{me}开了一家小公司，问一下今年有没有针对小微企业的补贴政策。",),
                 a=("惠企政策可通过浙江省惠企政策直达平台查询和申报。",)),
              _I(t=("咨询个体工商户注销",), d={"shichang": 1}, b=("想咨询个体工商户注销的流程。",),
                 a=("个体工商户注销可通过浙里办申请简易注销，无需到现场办理。",))]),
    _T("consult_medical", 2.5, group="consult", enf=False, types={"咨询": 0.8, "求助": 0.2}, field="卫生健康",
       categories=["卫生健康/医疗服务"], dept={"weijian": 10}, direct=0.6, sat=0.91,
       items=[_I(t=("咨询疫苗接种",), c=("卫生健康/疾病预防",), b=("{me}家孩子快一岁了，想问下一针疫苗去哪里打，要不要预约。",),
                 a=("疫苗接种可通过预约平台预约所在社区卫生服务中心。",)),
              _I(t=("咨询医院挂号",), b=("{me}想挂专家号，一直挂不上，有没有其他办法？",),
                 a=("可通过浙里办或医院公众号预约挂号，号源每日定时释放，也可预约转诊。",)),
              _I(t=("咨询老年人免费体检",), b=("{me}家里老人七十多岁，问一下今年免费体检在哪里做。",),
                 a=("老年人免费体检由辖区社区卫生服务中心统一组织，可电话咨询具体安排。",)),
              _I(t=("咨询出生医学证明补办",), b=("{me}的孩子出生证明丢了，怎么补办？",),
                 a=("出生医学证明遗失可向原签发机构申请补发，需携带父母身份证明等材料。",))]),
    _T("help_utility", 5.0, group="help", enf=False, types={"求助": 1.0}, field="住建",
       categories=["城乡建设/供水"], areas=_AREAS_CIVIC, dept={"zhujian": 1}, direct=0.08, sat=0.9,
       demands=("尽快恢复供应", "相关部门尽快处理", "帮忙联系维修"),
       items=[_I(t=("{community}停水",), d={"@ZLSGS": 1}, c=("城乡建设/供水",),
                 b=("{community}{when}开始停水，事先没有接到任何通知，到现在还没来水。",),
                 a=("经查，停水系管道抢修所致，已于当日恢复供水。",)),
              _I(t=("{community}突然停电",), d={"@GDGS": 1}, c=("能源/供电",),
                 b=("{community}{building}幢{when}突然停电了，家里有老人，空调冰箱都用不了。",),
                 a=("供电抢修人员已到场，故障线路已修复，恢复供电。",)),
              _I(t=("自来水水质发黄",), d={"@ZLSGS": 1}, c=("城乡建设/供水",),
                 b=("{me}家的自来水放出来是黄色的，有一股铁锈味，不知道能不能喝。",),
                 a=("已安排人员对管道进行冲洗，水质已恢复正常。",)),
              _I(t=("楼道有燃气味",), d={"zhujian": 1}, c=("城乡建设/燃气",),
                 b=("{community}楼道里闻到煤气味，怀疑燃气管道漏气。",),
                 a=("燃气企业抢修人员已到场排查，漏点已处理，经检测无泄漏。",)),
              _I(t=("{community}水压太低",), d={"@ZLSGS": 1}, c=("城乡建设/供水",),
                 b=("{community}高层水压太低，洗澡都没法洗。",),
                 a=("经查系二次供水设备故障，已完成维修，水压恢复正常。",))],
       details=("打了维修电话，一直占线。", "家里还有刚出生的孩子。")),
    _T("help_road", 4.0, group="help", enf=False, types={"求助": 1.0}, field="住建",
       categories=["城乡建设/市政设施"], areas=_AREAS_CIVIC, dept={"zhujian": 5, "town": 3, "zonghe": 2}, direct=0.02, sat=0.88,
       demands=("尽快安排维修", "相关部门尽快处理", "及时修复"),
       items=[_I(t=("{road}路灯不亮",), b=("{road}从{community}门口到前面路口的路灯已经坏了一个多星期，晚上一片漆黑。",),
                 a=("已安排养护单位对路灯进行了维修，现已恢复照明。",)),
              _I(t=("{road}路面坑洼",), c=("城乡建设/道路管理",), b=("{road}路面有好几个大坑，下雨后积水，电动车经过很危险。",),
                 a=("已对破损路面进行了修补。",)),
              _I(t=("井盖破损",), b=("{community}门口的井盖破了一个角，晚上看不清，已经有人崴了脚。",), a=("已更换破损井盖。",)),
              _I(t=("人行道地砖松动",), c=("城乡建设/道路管理",), b=("{road}人行道的地砖松动了，一踩就溅一身泥水。",),
                 a=("已安排人员对松动地砖进行了重新铺设。",)),
              _I(t=("大风刮倒行道树",), b=("{road}有棵行道树被风刮倒了，横在路上，车辆没法通行。",), a=("已安排人员清理倒伏树木，道路已恢复通行。",))]),
    _T("help_sanitation", 3.5, group="help", enf=False, types={"求助": 0.8, "投诉": 0.2}, field="综合执法",
       categories=["城乡建设/环境卫生"], areas=_AREAS_CIVIC, dept={"zonghe": 5, "town": 4, "zhujian": 1}, direct=0.02, sat=0.88,
       demands=("尽快清理", "相关部门尽快处理", "加强日常保洁"),
       items=[_I(t=("{community}垃圾清运不及时",), b=("{community}的垃圾桶已经满了两天了，没人来清运，气味很大。",),
                 a=("已安排环卫人员清运完毕，并增加了清运频次。",)),
              _I(t=("下水道堵塞",), c=("城乡建设/排水管理",), b=("{road}的下水道堵了，污水漫到路面上。",), a=("已安排疏通，排水已恢复正常。",)),
              _I(t=("公厕卫生差",), b=("{road}旁边的公共厕所卫生太差，没有纸也没人打扫。",), a=("已督促保洁单位加强公厕日常保洁。",)),
              _I(t=("河道漂浮垃圾",), b=("{town_s}{village}村的河道里漂着很多垃圾，很久没人清理了。",), a=("已组织人员对河道漂浮物进行了清理。",))]),
    _T("help_bus", 2.0, group="help", enf=False, types={"求助": 0.5, "投诉": 0.3, "建议": 0.2}, field="交通运输",
       categories=["交通运输/公交服务"], areas=_AREAS_CIVIC, dept={"@GJGS": 6, "jiaotong": 4}, direct=0.05, sat=0.87,
       demands=("公交公司加强管理", "增加班次", "相关部门督促整改"),
       items=[_I(t=("{bus_no}公交车班次太少",), b=("{bus_no}公交车间隔太长，早上上班高峰等了四十分钟都没来一辆。",),
                 a=("已调整该线路高峰时段发车间隔。",)),
              _I(t=("公交车到站不停",), b=("{me}{when}坐{bus_no}公交，司机到站没停就开走了。",), a=("公交公司已对驾驶员进行了批评教育，并加强对线路的考核。",)),
              _I(t=("{bus_no}末班车提前发车",), b=("{bus_no}末班车提前发车，{me}按时刻表到站已经没有车了。",), a=("已责令线路严格按时刻表发车。",))]),
    _T("help_welfare", 2.0, group="help", enf=False, types={"求助": 0.7, "咨询": 0.3}, field="民政",
       categories=["民政/社会救助"], dept={"minzheng": 6, "town": 4}, direct=0.1, sat=0.9, id_p=0.35,
       demands=("政府帮帮忙", "相关部门给予帮助", "告知办理方法"),
       items=[_I(t=("申请困难救助", "咨询低保申请条件"), b=("{me}家里老伴长期生病，自己也没有工作，生活很困难，想问能不能申请救助。",),
                 a=("已告知来电人可向户籍所在地乡镇（街道）提出低保或临时救助申请，工作人员将上门核实。",)),
              _I(t=("咨询居家养老服务补贴",), c=("民政/养老服务",), b=("{me}想给家里八十多岁的老人申请居家养老服务，问一下有什么条件。",),
                 a=("居家养老服务补贴可向所在社区申请，经评估符合条件的按规定享受服务补贴。",)),
              _I(t=("残疾人生活困难求助",), b=("{me}是残疾人，每月收入很少，问一下有没有什么补助政策。",),
                 a=("符合条件的残疾人可申请生活补贴和护理补贴，已告知来电人向所在乡镇（街道）申请。",))]),
    _T("help_property", 2.0, group="help", enf=False, types={"求助": 0.7, "投诉": 0.3}, field="住建",
       categories=["城乡建设/物业管理"], areas=_AREAS_URBAN, dept={"town": 6, "zhujian": 4}, direct=0.02, sat=0.87,
       demands=("帮忙协调物业处理", "尽快维修"),
       items=[_I(t=("楼顶漏水物业不处理",), b=("{community}{building}幢顶楼漏水，找了物业好几次，物业说要走维修资金程序。",),
                 a=("经社区协调，物业已启动维修资金使用程序并安排维修。",)),
              _I(t=("小区门禁坏了",), b=("{community}的门禁坏了半个月了，外人随便进出。",), a=("经社区协调，物业已修复门禁。",)),
              _I(t=("楼道灯不亮",), b=("{community}楼道灯坏了很久，晚上上下楼很不方便。",), a=("物业已更换楼道灯。",))]),
    _T("neighbor_dispute", 1.5, group="help", enf=False, types={"求助": 0.6, "投诉": 0.4}, field="其他",
       categories=["社会管理/矛盾纠纷"], areas=_AREAS_CIVIC, dept={"town": 10}, direct=0.02, sat=0.82,
       demands=("社区帮忙调解", "帮忙协调解决"),
       items=[_I(t=("楼上漏水到楼下不肯维修",), b=("{me}家楼上卫生间漏水，把{me}家天花板都泡坏了，楼上邻居不愿意维修也不愿意赔偿。",)),
              _I(t=("邻居占用公共楼道",), b=("邻居把自家鞋柜和杂物放在公共楼道里，{me}跟他说了好几次都不听，还吵了起来。",)),
              _I(t=("邻居家狗叫扰民",), b=("邻居家养的狗每天晚上叫，{me}上门沟通过，对方态度很差。",))],
       finds={"ok": ("社区工作人员组织双方进行了调解，已达成一致。",),
              "fail": ("经社区调解，双方未能达成一致，已告知来电人可申请人民调解或通过诉讼解决。",)}),
    _T("suggestion_city", 3.0, group="suggest", enf=False, types={"建议": 1.0}, field="住建",
       categories=["城乡建设/城市规划"], areas=_AREAS_CIVIC, dept={"zhujian": 1}, direct=0.05, sat=0.88,
       items=[_I(t=("建议{road}增设红绿灯",), d={"jiaotong": 1, "gongan": 1}, c=("交通运输/交通设施",),
                 b=("{road}和{road2}交叉口车流量很大，没有红绿灯，建议增设信号灯。",)),
              _I(t=("建议增加停车位",), d={"zhujian": 1, "zonghe": 1},
                 b=("{community}周边停车位太少，很多车只能停在路边，建议规划建设公共停车场。",)),
              _I(t=("建议建设口袋公园",), d={"zhujian": 1, "ziyuan": 1},
                 b=("{town_s}附近没有供居民散步的地方，建议利用{road}边的空地建一个口袋公园。",)),
              _I(t=("建议增设公共厕所",), d={"zonghe": 1, "town": 1}, b=("{road}一带人流量大，没有公共厕所，建议增设。",))],
       finds={"ok": ("您的建议已转交相关部门研究，将结合城市更新计划统筹考虑。",)}),
    _T("suggestion_tourism", 1.5, profile="tourism", hours="tourism", group="suggest", enf=False, types={"建议": 1.0},
       tourism=1.0, field="文旅", categories=["文化旅游/旅游服务"], areas=_AREAS_TOURISM,
       dept={"wenlv": 1}, direct=0.05, sat=0.9,
       items=[_I(t=("建议增加旺季船班",), d={"jiaotong": 1}, c=("交通运输/水路客运",), b=("{trip}去{town_s}的船票很难买，建议旺季增加船班。",)),
              _I(t=("建议景区增加指示牌",), d={"wenlv": 1, "zone": 1}, b=("{place}的指示牌太少，外地游客很容易走错路，建议增加多语种指示牌。",)),
              _I(t=("建议规范民宿价格公示",), d={"wenlv": 1}, b=("建议{town_s}的民宿统一在门口公示房价和退订规则，避免纠纷。",))],
       finds={"ok": ("您的建议已转交相关部门研究落实。",)}),
    _T("praise", 2.0, group="praise", enf=False, types={"表扬": 1.0}, field="其他",
       categories=["其他/表扬感谢"], areas=_AREAS_CIVIC,
       dept={"shichang": 2, "wenlv": 2, "zonghe": 2, "gongan": 2, "town": 2, "jiaotong": 1, "renshe": 1}, sat=0.99,
       titles=("表扬{dept_named}工作人员", "感谢热心帮助", "表扬工作人员处理及时"),
       bodies=("{me}{when}反映的问题，{dept_named}的工作人员很快就处理好了，态度也很好，特此表扬。",
               "感谢{dept_named}的工作人员，{me}丢失的包第二天就找回来了。",
               "{me}之前投诉的问题，{dept_named}处理得很及时，退款已经收到了，非常感谢。",
               "{dept_named}的同志为了{me}的事情跑了好几趟，特别负责，要表扬一下。"),
       finds={"ok": ("感谢您的表扬，我们将继续做好服务工作。",)}),
    _T("service_complaint", 1.5, group="complaint", enf=False, types={"投诉": 1.0}, field="其他",
       categories=["政务服务/办事效率", "政务服务/服务态度"], dept={"town": 3, "zhujian": 2, "renshe": 2, "ziyuan": 2},
       sat=0.82, demands=("改进服务", "提高办事效率", "相关单位加强管理"),
       items=[_I(t=("窗口办事效率低",), b=("{me}{when}去{dept_named}窗口办业务，排了两个小时的队，窗口只开了一个。",)),
              _I(t=("办事材料反复要求补交",), b=("{me}去{dept_named}办事，工作人员说材料不全，补了三次每次说的都不一样。",)),
              _I(t=("工作人员服务态度差",), b=("{me}打{dept_named}的电话咨询，接电话的人很不耐烦，话没说完就挂了。",))],
       finds={"ok": ("已对相关工作人员进行了批评教育，并优化了窗口服务流程。",)}),
    _T("other_consult", 2.0, group="consult", enf=False, types={"咨询": 0.8, "求助": 0.2}, field="其他",
       categories=["其他/其他咨询"], dept={"@RX12345": 10}, direct=0.85, sat=0.93,
       items=[_I(t=("咨询办事电话",), b=("{me}想问一下{district_s}不动产登记中心的电话是多少。",), a=("已告知来电人相关单位联系电话及办理地址。",)),
              _I(t=("咨询大风预警",), b=("明天是不是有大风预警，{me}要出海，想问问情况。",), a=("已告知来电人以气象部门发布的预警信息为准，注意出行安全。",)),
              _I(t=("咨询公证办理",), b=("{me}想办理一份亲属关系公证，问一下去哪里办。",), a=("已告知来电人可到公证处办理，部分公证事项可在线申请。",)),
              _I(t=("咨询无偿献血",), b=("想咨询一下在舟山哪里可以无偿献血。",), a=("已告知来电人中心血站及献血点地址和开放时间。",))]),
]
_THEME_BY_CODE = {t["code"]: t for t in THEMES}


def _merge_variants(theme: dict) -> list[tuple[float, dict]]:
    if not theme["variants"]:
        return [(1.0, theme)]
    out = []
    for v in theme["variants"]:
        merged = {**theme, **{k: val for k, val in v.items() if k != "w"}}
        out.append((v.get("w", 1.0), merged))
    return out


for _t in THEMES:
    _t["_vars"] = _merge_variants(_t)
del _t

_HOURS = {
    "civic": (2, 1, 1, 1, 1, 2, 4, 9, 16, 20, 19, 16, 10, 12, 17, 18, 16, 12, 9, 8, 7, 5, 4, 3),
    "tourism": (2, 1, 1, 1, 1, 1, 2, 4, 8, 11, 13, 13, 12, 12, 13, 13, 13, 14, 16, 17, 16, 12, 8, 4),
    "evening": (2, 1, .5, .5, .5, .5, 1, 2, 4, 6, 8, 12, 14, 10, 8, 7, 8, 12, 16, 20, 20, 16, 10, 5),
    "night": (14, 10, 6, 3, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 9, 11, 14, 18, 20, 18),
    "construction": (12, 10, 7, 5, 6, 10, 8, 6, 5, 5, 5, 4, 5, 5, 5, 5, 5, 6, 7, 9, 12, 15, 16, 14),
}
_HOUR_CHOOSERS = {k: _Chooser(dict(enumerate(v))) for k, v in _HOURS.items()}
_CHANNELS_DAY = _Chooser({"电话": 68, "微信": 11, "APP": 9, "网站": 7, "短信": 3, "信件": 0.6})
_CHANNELS_NIGHT = _Chooser({"电话": 88, "微信": 6, "APP": 4, "网站": 2})
_HANDLE_WORKDAYS = {"咨询": 3, "求助": 6, "建议": 9, "投诉": 12, "举报": 14, "表扬": 3}
_SAT_RESOLUTION = {
    "满意": _Chooser({"解决": 85, "部分解决": 13, "未解决": 2}),
    "基本满意": _Chooser({"解决": 50, "部分解决": 42, "未解决": 8}),
    "不满意": _Chooser({"解决": 8, "部分解决": 30, "未解决": 62}),
}
_OUTCOME = {"解决": "ok", "部分解决": "part", "未解决": "fail", None: "ok"}
_ISLAND_TOWNS = ("东极镇", "菜园镇", "花鸟乡", "枸杞乡", "嵊山镇", "桃花镇", "普陀山镇", "秀山乡", "黄龙乡",
                 "五龙乡", "洋山镇", "长涂镇", "衢山镇", "虾峙镇", "六横镇")


# ---------------------------------------------------------------------------------------------
# Business pool
# ---------------------------------------------------------------------------------------------

class _BizPool:
    """Invented businesses per (kind, area), created on first use; popular ones come first so that
    some businesses are complained about again and again."""

    SIZE = {"homestay": 14, "seafood": 10, "stall": 10, "hotel": 5, "restaurant": 8, "shop": 8,
            "construction": 6, "property": 4, "factory": 5, "entertainment": 4, "agency": 5, "training": 3,
            "clinic": 3, "employer": 10, "parking": 3, "prepaid": 4, "esports": 2}

    def __init__(self, ref: _Ref):
        self.ref = ref
        self.pools: dict[tuple[str, str], list[dict]] = {}
        self.names: set[str] = set()
        self.codes: set[str] = set()

    def pick(self, rng: random.Random, kind: str, area: dict) -> dict:
        key = (kind, area["code"])
        pool = self.pools.setdefault(key, [])
        size = self.SIZE.get(kind, 5)
        idx = int(size * rng.random() ** 2.0)
        while len(pool) <= idx:
            pool.append(self.create(rng, kind, area))
        return pool[idx]

    def create(self, rng: random.Random, kind: str, area: dict) -> dict:
        spec = _BIZ_KINDS[kind]
        district = self.ref.district_of(area["code"]) or area
        code = district["code"]
        region = code if code.isdigit() and len(code) == 6 else self.ref.city["code"]
        for attempt in range(50):
            if spec.get("person") and rng.random() < 0.6:
                head = rng.choice(_PERSON_HEAD)
            else:
                head = rng.choice(_BIZ_HEAD)
            tail = rng.choice(spec["tails"])
            name = head + tail
            if attempt > 10:
                if kind == "stall":
                    name = head + rng.choice("一二三四五六七八九") + "号" + tail
                else:
                    name = head + rng.choice(_BIZ_HEAD) + tail
            if name not in self.names:
                break
        self.names.add(name)
        individual = rng.random() < spec["ind"]
        place = district["name"] + (area["name"] if area is not district else "")
        if individual:
            legal = spec["legal"].format(place="舟山市" + place, name=name, head=head)
        else:
            legal = spec["company"].format(name=name, head=head)
            if legal in self.names:
                legal = legal.replace("舟山", "舟山市" + district["name"], 1)
            n = 2
            while legal in self.names:
                legal, n = f"{legal}（{n}）", n + 1
        self.names.add(legal)
        while True:
            code = make_uscc(rng, region, individual)
            if code not in self.codes:
                self.codes.add(code)
                break
        road = rng.choice(_ROADS)
        address = f"{district['name']}{area['name'] if area is not district else ''}{road}{rng.randint(1, 399)}号"
        return {"name": name, "legal_name": legal, "uscc": code, "kind": kind, "area": area["name"],
                "area_code": area["code"], "address": address}


# ---------------------------------------------------------------------------------------------
# Slots: values computed on first use and kept for the order (texts and reply agree)
# ---------------------------------------------------------------------------------------------

class _Slots(dict):
    def __init__(self, gen: "_Generator", sk: "_Sk", style: str):
        super().__init__()
        self.g, self.sk, self.rng, self.style = gen, sk, gen.rng, style
        self._me_count = 0

    def __missing__(self, key: str) -> str:
        if key == "me":
            self._me_count += 1
            if self.style == "self":
                return "我"
            return "来电人" if self._me_count == 1 or self.rng.random() < 0.4 else "其"
        fn = getattr(self, "s_" + key, None)
        if fn is None:
            raise KeyError(f"template slot {{{key}}} has no generator")
        val = fn()
        self[key] = val
        return val

    # -- places
    def s_town(self):
        return self.sk.area["name"]

    def s_town_s(self):
        return self.g.ref.short(self.sk.area)

    def s_town2(self):
        return self.rng.choice(("定海", "沈家门", "朱家尖", "东港", "临城", "新城", "普陀山码头"))

    def s_district(self):
        d = self.g.ref.district_of(self.sk.area["code"])
        return d["name"] if d else self.g.ref.city["name"]

    def s_district_s(self):
        d = self.g.ref.district_of(self.sk.area["code"])
        return self.g.ref.short(d) if d else self.g.ref.city["short"]

    def s_road(self):
        return self.rng.choice(_ROADS)

    def s_road2(self):
        r = self.rng.choice(_ROADS)
        return r if r != self["road"] else "海港路"

    def s_community(self):
        return self.rng.choice(_ESTATE_HEAD) + self.rng.choice(_ESTATE_TAIL)

    def s_building(self):
        return str(self.rng.randint(1, 28))

    def s_village(self):
        return self.rng.choice(("新建", "东岙", "西岙", "南峰", "北港", "上岙", "下湾", "塘头", "长沙", "里岙", "大岙", "石门"))

    def _place_of(self, kind: str, fallback: str) -> str:
        p = _PLACES.get(self.sk.area["name"], {}).get(kind) or ()
        return self.rng.choice(p) if p else fallback.format(t=self["town_s"])

    def s_place(self):
        return self._place_of("scenic", "{t}景区")

    def s_terminal(self):
        return self._place_of("terminal", "{t}客运码头")

    def s_market(self):
        return self._place_of("market", "{t}菜市场")

    def s_addr(self):
        return f"{self['district']}{self['town']}{self['road']}{self.rng.randint(1, 399)}号"

    def s_ferry_route(self):
        return _FERRY_ROUTE.get(self.sk.area["name"], "去{}".format(self["town_s"]))

    def s_from_place(self):
        return self.rng.choice(("沈家门", "宁波", "上海", "定海", "朱家尖码头", "杭州"))

    def s_cause(self):
        for ev in self.sk.events:
            if ev["kind"] == "ferry_suspension":
                return ev["cause"]
        return self.rng.choice(("大风", "大雾"))

    def s_site(self):
        return self.rng.choice(_CONSTRUCTION_SITES).format(head=self.rng.choice(_ESTATE_HEAD), road=self["road"])

    def s_school(self):
        return self["town_s"] + self.rng.choice(("第一小学", "中学", "实验学校", "中心小学"))

    def s_bus_no(self):
        return f"{self.rng.choice((1, 2, 3, 5, 6, 8, 9, 11, 12, 15, 16, 18, 20, 21, 23, 26, 28, 31, 33, 35))}路"

    # -- time
    def _event_day(self) -> int:
        if "_lag" not in self:
            r = self.rng.random()
            self["_lag"] = 0 if r < 0.45 else (1 if r < 0.78 else (2 if r < 0.9 else self.rng.randint(3, 6)))
        return self["_lag"]

    def s_when(self):
        lag, hour = self._event_day(), self.sk.received.hour
        if lag == 0:
            if hour < 10:
                return self.rng.choice(("今天早上", "刚才", "今天一早"))
            if hour < 14:
                return self.rng.choice(("今天上午", "刚才", "今天中午"))
            if hour < 19:
                return self.rng.choice(("今天中午", "今天下午", "刚才"))
            return self.rng.choice(("今天傍晚", "今天晚上", "刚才"))
        tod = self.rng.choice(("", "上午", "中午", "下午", "晚上"))
        if lag == 1:
            return "昨天" + tod
        if lag == 2:
            return "前天" + tod
        d = self.sk.received.date() - _dt.timedelta(days=lag)
        return f"{d.month}月{d.day}日" + tod

    def s_when_night(self):
        return self.rng.choice(("每天晚上十点以后", "昨天晚上十一点多", "凌晨一点左右", "半夜十二点以后", "最近几天夜里",
                                "晚上十点半到凌晨", "每天夜里"))

    def s_trip(self):
        d = self.sk.received.date() - _dt.timedelta(days=self._event_day())
        day = self.g.day(d)
        if day.holiday:
            return f"{day.hname}假期"
        if not day.workday:
            return "周末"
        if d.month in (7, 8):
            return "暑假"
        return self.rng.choice(("这次", "前几天", "这几天"))

    def s_guanyin(self):
        return self.rng.choice(("观音香会", "农历九月十九", "农历六月十九", "观音诞"))

    def s_month_n(self):
        return str(self.rng.randint(1, 12))

    # -- businesses
    def s_biz(self):
        if self.sk.biz is None:
            self.sk.biz = self.g.biz.pick(self.rng, "shop", self.sk.area)
        return self.sk.biz["name"]

    def s_employer(self):
        if self.sk.biz is not None and self.sk.biz["kind"] == "employer":
            return self.sk.biz["legal_name"]
        return self.g.biz.pick(self.rng, "employer", self.sk.area)["legal_name"]

    def s_platform(self):
        return self.rng.choice(_PLATFORMS)

    def s_dept(self):
        return self.sk.lead["short_name"] if self.sk.lead else "热线中心"

    def s_dept_named(self):
        return self.sk.lead["short_name"] if self.sk.lead else "相关部门"

    def s_driver(self):
        return self.rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0] + "某"

    def s_plate(self):
        return "浙L" + self.rng.choice("ABCDTUX") + "".join(self.rng.choice("0123456789") for _ in range(4))

    # -- goods and money
    def s_dish(self):
        return self.rng.choice(_DISHES)

    def s_dish2(self):
        d = self.rng.choice(_DISHES)
        return d if d != self["dish"] else "白灼虾"

    def s_dry(self):
        return self.rng.choice(_DRY_GOODS)

    def s_food(self):
        return self.rng.choice(_FOODS)

    def _money(self, lo: int, hi: int, step: int = 1) -> int:
        return self.rng.randrange(lo, hi + 1, step)

    def s_up(self):
        return str(self._money(38, 198, 2))

    def s_up_hi(self):
        return str(int(self["up"]) * self.rng.choice((2, 3, 5, 10)))

    def s_bill(self):
        return str(self._money(560, 6800, 10))

    def s_amount(self):
        return str(self._money(120, 2600, 10))

    def s_extra(self):
        return str(self._money(20, 300, 10))

    def s_refund(self):
        if "wc" in self and "amount" not in self:
            return str(self._money(20, 240, 5))
        for base in ("prepay", "bill", "amount"):
            if base in self:
                return str(max(20, int(int(self[base]) * self.rng.uniform(0.2, 0.7)) // 10 * 10))
        return str(self._money(60, 1200, 10))

    def s_wc(self):
        return f"{self.rng.randint(15, 60) / 10:.1f}".rstrip("0").rstrip(".")

    def s_wr(self):
        return f"{float(self['wc']) * self.rng.uniform(0.62, 0.86):.1f}"

    def s_short_jin(self):
        return f"{max(0.2, float(self['wc']) - float(self['wr'])):.1f}"

    def s_short_pct(self):
        return str(self.rng.randint(15, 35))

    def s_n_people(self):
        return _cn_num(self.rng.randint(2, 8))

    def s_nights(self):
        return _cn_num(self.rng.randint(2, 4))

    def s_nights_left(self):
        return _cn_num(self.rng.randint(1, 3))

    def s_room_fee(self):
        return str(self._money(280, 1280, 20))

    def s_prepay(self):
        return str(self._money(600, 4800, 20))

    def s_deposit(self):
        return str(self._money(200, 2000, 100))

    def s_days_before(self):
        return _cn_num(self.rng.randint(2, 10))

    def s_deduct_pct(self):
        return str(self.rng.choice((30, 50, 60, 70, 80, 100)))

    def s_tables(self):
        return _cn_num(self.rng.randint(2, 6))

    def s_fare(self):
        return str(self._money(50, 300, 10))

    def s_nfare(self):
        return str(self._money(15, 45))

    def s_fee(self):
        return str(self._money(39, 199))

    def s_n_cases(self):
        return str(self.rng.randint(2, 9))

    def s_n_times(self):
        return self.rng.choice(("好几次", "三次", "四五次", "多次", "不下十次"))

    def s_months(self):
        return _cn_num(self.rng.randint(2, 8))

    def s_wage(self):
        return str(self._money(4000, 48000, 100))

    def s_workers(self):
        return _cn_num(self.rng.randint(3, 20))

    def s_days_over(self):
        return _cn_num(self.rng.randint(2, 30))

    def s_rdate(self):
        d = self.sk.received.date() + _dt.timedelta(days=1)
        return f"{d.month}月{d.day}日"


# ---------------------------------------------------------------------------------------------
# Plan
# ---------------------------------------------------------------------------------------------

class _Sk:
    """One planned order."""

    __slots__ = ("received", "day", "theme", "var", "item", "area", "biz", "events", "problems", "tourism",
                 "order_no", "lead", "caller")

    def __init__(self, received, day, theme, var, area):
        self.received, self.day, self.theme, self.var, self.area = received, day, theme, var, area
        self.biz = self.lead = self.caller = self.item = None
        self.events: list[dict] = []
        self.problems: list[str] = []
        self.tourism = False
        self.order_no = ""


class _Generator:
    def __init__(self, end: _dt.date, days: int, target_orders: int, seed: int, reference: dict | None):
        if days < 1:
            raise ValueError("days must be >= 1")
        self.end, self.days, self.target, self.seed = end, days, int(target_orders), seed
        self.ref = _Ref(reference if reference is not None else load_reference())
        self.start = end - _dt.timedelta(days=days - 1)
        self.cutoff = _dt.datetime.combine(end + _dt.timedelta(days=1), _dt.time())
        self._days: dict[_dt.date, _Day] = {}
        self.biz = _BizPool(self.ref)
        self._area_choosers: dict[int, _Chooser | None] = {}
        self.events: list[dict] = []
        self.sks: list[_Sk] = []

    def day(self, d: _dt.date) -> _Day:
        day = self._days.get(d)
        if day is None:
            day = self._days[d] = _Day(d)
        return day

    # -- areas
    def area_chooser(self, table: dict) -> _Chooser | None:
        key = id(table)
        if key not in self._area_choosers:
            known = {self.ref.area_by_name[n]["code"]: w for n, w in table.items() if n in self.ref.area_by_name}
            self._area_choosers[key] = _Chooser(known) if known else None
        return self._area_choosers[key]

    def pick_area(self, rng: random.Random, table: dict) -> dict:
        ch = self.area_chooser(table)
        if ch is None:
            ch = self.area_chooser(_AREAS_CIVIC)
        if ch is None:  # a reference without any of the Zhoushan names
            towns = self.ref.towns or self.ref.districts or list(self.ref.areas.values())
            return rng.choice(towns)
        return self.ref.areas[ch.pick(rng)]

    # -- events
    def plan_events(self, rng: random.Random) -> None:
        days = [self.start + _dt.timedelta(days=i) for i in range(self.days)]
        inside = lambda d: self.start <= d <= self.end  # noqa: E731
        island = [n for n in _AREAS_FERRY_BURST if n in self.ref.area_by_name]
        island_all = [n for n in _ISLAND_TOWNS if n in self.ref.area_by_name]
        # Ferry suspensions: a winter gale ~two weeks before the end, a typhoon early in the window.
        cand = []
        if self.days >= 20:
            cand.append((self.end - _dt.timedelta(days=13), 3))
        if self.days >= 60:
            cand.append((self.start + _dt.timedelta(days=16), 2))
        for n, (s, length) in enumerate(sorted(cand)):
            if not (inside(s) and inside(s + _dt.timedelta(days=length - 1))):
                continue
            cause = "台风" if s.month in (7, 8, 9) else "大风"
            e = s + _dt.timedelta(days=length - 1)
            size = rng.randint(120, 160) if cause == "大风" else rng.randint(70, 95)
            size = max(10, int(size * self.target / 20000))
            self.events.append({
                "id": f"FERRY-{s:%Y%m%d}", "kind": "ferry_suspension", "cause": cause,
                "start": s.isoformat(), "end": e.isoformat(), "days": length,
                "areas": island_all, "area_codes": [self.ref.area_by_name[x]["code"] for x in island_all],
                "burst": {"problem_type": "退订退款纠纷", "theme": "ferry_refund", "start": s.isoformat(),
                          "end": (s + _dt.timedelta(days=7)).isoformat(), "areas": island, "orders": 0},
                "_size": size, "_start": s, "_end": e, "order_nos": []})
        # Clusters of complaints naming one business.
        taken: set[_dt.date] = set()

        def pick_start(preferred: list[_dt.date], length: int) -> _dt.date | None:
            for s in preferred:
                span = [s + _dt.timedelta(days=i) for i in range(length)]
                if all(inside(x) for x in span) and not taken.intersection(span):
                    taken.update(span)
                    return s
            return None

        def busiest(length: int) -> list[_dt.date]:
            return sorted(days, key=lambda d: -_tourism_factor(self.day(d)))[:20]

        nat = [d for d in days if self.day(d).hname == "国庆"]
        mid = [d for d in days if self.day(d).hname == "中秋"]
        specs = [
            ("CLUSTER-SEAFOOD-SJM", "short_weight", "stall", "沈家门街道", 11,
             [nat[1]] if len(nat) > 1 else [], 4, {"价格违法": 0.3}),
            ("CLUSTER-HOMESTAY-ZJJ", "homestay_false_ad", "homestay", "朱家尖街道", 8,
             [mid[0]] if mid else [], 4, {"退订退款纠纷": 0.6}),
            ("CLUSTER-SEAFOOD-CY", "seafood_price", "seafood", "菜园镇", 7,
             [d for d in days[:10] if not self.day(d).workday], 3, {}),
            ("CLUSTER-SITE-LC", "noise_construction", "construction", "临城街道", 10,
             [self.end - _dt.timedelta(days=38)], 7, {}),
        ]
        scale = min(1.0, self.target / 20000)
        for cid, theme, kind, area_name, n, pref, length, extra in specs:
            if area_name not in self.ref.area_by_name:
                continue
            n = max(4, round(n * scale))
            s = pick_start(pref + busiest(length) + days, length)
            if s is None:
                continue
            area = self.ref.area_by_name[area_name]
            biz = self.biz.create(rng, kind, area)
            self.events.append({
                "id": cid, "kind": "cluster", "theme": theme,
                "problem_types": list(_THEME_BY_CODE[theme]["problems"]) + [p for p in extra if p],
                "business": {k: biz[k] for k in ("name", "legal_name", "uscc", "area", "area_code", "address")},
                "area": area_name, "start": s.isoformat(), "end": (s + _dt.timedelta(days=length - 1)).isoformat(),
                "orders": n, "order_nos": [], "_biz": biz, "_area": area, "_start": s, "_len": length, "_extra": extra})
        # One homestay in the gale's refund burst refuses everybody (a cluster inside the burst).
        ferries = [e for e in self.events if e["kind"] == "ferry_suspension"]
        gale = ferries[-1] if ferries else None
        if gale is not None and "东极镇" in self.ref.area_by_name:
            area = self.ref.area_by_name["东极镇"]
            biz = self.biz.create(rng, "homestay", area)
            self.events.append({
                "id": "CLUSTER-HOMESTAY-DJ", "kind": "cluster", "theme": "ferry_refund",
                "problem_types": ["退订退款纠纷"],
                "business": {k: biz[k] for k in ("name", "legal_name", "uscc", "area", "area_code", "address")},
                "area": "东极镇", "start": gale["start"], "end": gale["burst"]["end"], "orders": max(4, round(9 * scale)),
                "order_nos": [],
                "within": gale["id"], "_biz": biz, "_area": area, "_start": gale["_start"], "_len": 8, "_extra": {}})

    # -- volumes
    def _theme_factor(self, th: dict, day: _Day, susp: set, gale_eve: set) -> float:
        prof = th["profile"]
        if prof == "civic":
            f = _civic_factor(day)
        elif prof == "tourism":
            f = _tourism_factor(day)
        elif prof == "night":
            f = 1.0 + (0.35 if not day.workday else 0.0) + (0.4 if day.holiday else 0.0)
        else:
            f = 0.5 * (_civic_factor(day) + _tourism_factor(day))
        code, m = th["code"], day.month
        if code == "wage_arrears":
            f *= {11: 1.15, 12: 1.35, 1: 1.7}.get(m, 1.0)
            if day.eve:
                f *= 1.3
        elif code == "consult_education" and m in (7, 8, 9):
            f *= 1.5
        elif code == "help_utility" and m in (7, 8):
            f *= 1.3
        elif code == "consult_ferry":
            if day.date in susp:
                f *= 5.0
            elif day.date in gale_eve:
                f *= 2.0
        if prof == "tourism" and day.date in susp and code not in ("consult_ferry", "ferry_refund"):
            f *= 0.6
        return f

    def plan(self) -> None:
        rng = random.Random(self.seed)
        self.plan_events(rng)
        days = [self.start + _dt.timedelta(days=i) for i in range(self.days)]
        susp: set[_dt.date] = set()
        gale_eve: set[_dt.date] = set()
        typhoon: set[_dt.date] = set()
        for e in self.events:
            if e["kind"] == "ferry_suspension":
                span = [e["_start"] + _dt.timedelta(days=i) for i in range(e["days"])]
                susp.update(span)
                gale_eve.add(e["_start"] - _dt.timedelta(days=1))
                if e["cause"] == "台风":
                    typhoon.update(span)
        # Baseline: allocate exactly target_orders over (theme, day) cells, largest remainder.
        cells, weights = [], []
        for ti, th in enumerate(THEMES):
            for d in days:
                w = th["share"] * self._theme_factor(th, self.day(d), susp, gale_eve)
                w *= math.exp(rng.gauss(0.0, 0.14))
                cells.append((ti, d))
                weights.append(w)
        total = sum(weights)
        exp = [self.target * w / total for w in weights]
        counts = [int(x) for x in exp]
        short = self.target - sum(counts)
        order = sorted(range(len(exp)), key=lambda i: (counts[i] - exp[i], i))
        for i in order[:short]:
            counts[i] += 1
        for (ti, d), n in zip(cells, counts):
            th = THEMES[ti]
            for _ in range(n):
                self.new_order(rng, th, d)
        # Event extras.
        for e in self.events:
            if e["kind"] == "ferry_suspension":
                shape = (0.12, 0.2, 0.19, 0.16, 0.12, 0.09, 0.07, 0.05)
                size = e["_size"]
                th = _THEME_BY_CODE["ferry_refund"]
                made = 0
                for i, share in enumerate(shape):
                    d = e["_start"] + _dt.timedelta(days=i)
                    if d > self.end:
                        break
                    for _ in range(int(round(size * share))):
                        sk = self.new_order(rng, th, d, area_table=_AREAS_FERRY_BURST, event=e)
                        made += 1
                e["burst"]["orders"] = made
                # ferry consultations surge while boats are stopped
                for i in range(e["days"]):
                    d = e["_start"] + _dt.timedelta(days=i)
                    for _ in range(int(40 * self.target / 20000)):
                        self.new_order(rng, _THEME_BY_CODE["consult_ferry"], d)
        for d in sorted(typhoon):  # power cuts, fallen trees, flooded roads
            for code, n in (("help_utility", 30), ("help_road", 14), ("help_sanitation", 8)):
                for _ in range(int(n * self.target / 20000)):
                    self.new_order(rng, _THEME_BY_CODE[code], d)
        for e in self.events:
            if e["kind"] != "cluster":
                continue
            th = _THEME_BY_CODE[e["theme"]]
            if "within" in e:  # re-use burst orders in that area
                burst = [sk for sk in self.sks if sk.theme is th and sk.var.get("biz") == "homestay"
                         and any(x["id"] == e["within"] for x in sk.events)]
                chosen = rng.sample(burst, min(e["orders"], len(burst)))
                for sk in chosen:
                    sk.area, sk.biz = e["_area"], e["_biz"]
                    sk.events.append(e)
                e["orders"] = len(chosen)
                continue
            for i in range(e["orders"]):
                d = e["_start"] + _dt.timedelta(days=int(e["_len"] * i / e["orders"]))
                sk = self.new_order(rng, th, d, area=e["_area"], biz=e["_biz"], event=e)
                for p, prob in e["_extra"].items():
                    if rng.random() < prob and p not in sk.problems:
                        sk.problems.append(p)
        # Order numbers: per day, in order of arrival.
        self.sks.sort(key=lambda s: s.received)
        seq: dict[_dt.date, int] = {}
        for sk in self.sks:
            d = sk.received.date()
            seq[d] = seq.get(d, 0) + 1
            sk.order_no = f"ZS{d:%Y%m%d}{seq[d]:05d}"
            for e in sk.events:
                e["order_nos"].append(sk.order_no)

    def new_order(self, rng, th, d, area_table=None, area=None, biz=None, event=None) -> _Sk:
        hour = _HOUR_CHOOSERS[th["hours"]].pick(rng)
        received = _dt.datetime(d.year, d.month, d.day, hour, rng.randrange(60), rng.randrange(60))
        vars_ = th["_vars"]
        var = vars_[0][1] if len(vars_) == 1 else rng.choices([v for _, v in vars_], weights=[w for w, _ in vars_])[0]
        day = self.day(d)
        if area is None:
            table = area_table or var["areas"]
            if th["profile"] == "tourism" and (day.guanyin or day.guanyin_near) and rng.random() < 0.45 \
                    and "普陀山镇" in self.ref.area_by_name:
                table = {"普陀山镇": 3, "朱家尖街道": 1, "沈家门街道": 1}
            area = self.pick_area(rng, table)
        sk = _Sk(received, day, th, var, area)
        if var["items"]:
            items = var["items"]
            if biz is not None:
                items = [it for it in items if it.get("biz", var["biz"])] or items
            sk.item = items[0] if len(items) == 1 else rng.choice(items)
        if event is not None:
            sk.events.append(event)
        sk.tourism = rng.random() < var["tourism"]
        sk.problems = list(var["problems"])
        for p, prob in var["extra"].items():
            if rng.random() < prob:
                sk.problems.append(p)
        kind = sk.item.get("biz", var["biz"]) if sk.item is not None else var["biz"]
        if biz is not None:
            sk.biz = biz
        elif kind:
            sk.biz = self.biz.pick(rng, kind, area)
        self.sks.append(sk)
        return sk

    # -----------------------------------------------------------------------------------------
    # Render
    # -----------------------------------------------------------------------------------------

    def render(self) -> list[dict]:
        self.rng = random.Random(self.seed * 7919 + 17)
        self.callers: list[dict] = []
        self._fallback = (self.ref.deps.get("RX12345") or next(iter(self.ref.deps.values())))
        out: list[dict] = []
        for sk in self.sks:
            out.extend(self.render_order(sk))
        out.sort(key=lambda r: (r["updated_at"], r["order_no"]))
        return out

    # -- callers
    def new_person(self, rng: random.Random) -> dict:
        female = rng.random() < 0.5
        surname = rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
        pool = _GIVEN_F if female else _GIVEN_M
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        phone = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
        if rng.random() < 0.04:
            phone = f"0580-{rng.choice('2345689')}{rng.randrange(10 ** 6):06d}"
        year = int(rng.triangular(1950, 2005, 1985))
        regions = [(c, w) for c, start, w in _ID_REGIONS if start <= year]
        region = rng.choices([c for c, _ in regions], weights=[w for _, w in regions])[0]
        birth = _dt.date(year, 1, 1) + _dt.timedelta(days=rng.randrange(365))
        seq = rng.randrange(0, 500) * 2 + (0 if female else 1)
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        return {"surname": surname, "name": surname + given, "female": female, "phone": phone,
                "id": first17 + id_check_digit(first17)}

    def caller_fields(self, sk: _Sk, channel: str) -> tuple[str | None, str | None, str | None]:
        rng = self.rng
        if self.callers and rng.random() < 0.05:  # a repeat caller
            p = self.callers[int(len(self.callers) * rng.random() ** 1.5)]
        else:
            p = self.new_person(rng)
            if len(self.callers) < 400:
                self.callers.append(p)
        r = rng.random()
        if r < 0.1:
            name = None  # anonymous
        elif r < 0.45 and channel == "电话":
            name = p["surname"] + ("女士" if p["female"] else "先生")
        else:
            name = p["name"]
        phone = p["phone"] if (rng.random() < 0.97 or channel == "电话") else None
        id_no = p["id"] if rng.random() < sk.var["id_p"] else None
        return name, phone, id_no

    # -- departments
    def resolve(self, spec: str, sk: _Sk, rng: random.Random) -> dict:
        ref = self.ref
        if spec.startswith("@"):
            return ref.deps.get(spec[1:]) or self._fallback
        if spec == "zone":
            zone = ref.zone_of.get(sk.area["code"])
            adm = ref.zone_admin(zone["code"]) if zone else None
            if adm:
                return adm
            spec = "wenlv" if sk.tourism else "zonghe"
        if spec == "town":
            office = ref.town_office(sk.area["code"])
            if office:
                return office
            spec = "zonghe"
        cands = ref.field_departments(spec)
        if not cands:
            return self._fallback
        city_dep = cands[0] if len(cands) == 1 else rng.choice(cands)
        district = ref.district_of(sk.area["code"])
        if district is not None and rng.random() < 0.9:
            m = ref.mirror.get((city_dep["code"], district["code"]))
            if m is not None:
                return m
        return city_dep

    def pick_lead(self, sk: _Sk, rng: random.Random) -> dict:
        specs = dict((sk.item or {}).get("d") or sk.var["dept"])
        zone = self.ref.zone_of.get(sk.area["code"])
        if zone and sk.tourism and sk.var["enf"]:
            specs["zone"] = specs.get("zone", 0) + sum(specs.values()) * 0.4
        return self.resolve(_wchoice(rng, specs), sk, rng)

    def alternative(self, sk: _Sk, current: dict, rng: random.Random) -> tuple[dict, str]:
        """Department a returned order is re-dispatched to, and the kind of reason."""
        alts = list(sk.var["alt"]) or ["qita"]
        for _ in range(6):
            spec = rng.choice(alts)
            dep = self.resolve(spec, sk, rng)
            if dep["code"] != current["code"]:
                return dep, ("civil" if spec == "town" and "退订退款纠纷" in sk.problems else "field")
        for spec in ("@SFJ", "qita"):
            dep = self.resolve(spec, sk, rng)
            if dep["code"] != current["code"]:
                return dep, "field"
        return self._fallback, "field"

    def field_name_of(self, dep: dict) -> str:
        fs = dep.get("fields") or []
        f = self.ref.fields.get(fs[0]) if fs else None
        return f["name"] if f else "其他"

    # -- texts
    def compose(self, sk: _Sk, slots: _Slots) -> tuple[str, str]:
        rng, th, item = self.rng, sk.var, sk.item or {}
        titles = item.get("t")
        if not titles or (th["titles"] and rng.random() < 0.25):
            titles = th["titles"] or titles
        title = rng.choice(titles).format_map(slots) if titles else ""
        bodies = th["bodies_by_area"].get(sk.area["name"]) if th["bodies_by_area"] else None
        if not (bodies and rng.random() < 0.7):
            bodies = item.get("b") or th["bodies"]
        body = rng.choice(bodies)
        group = th["group"]
        if slots.style == "phone":
            parts = [rng.choice(_PHONE_PREFIX)]
        else:
            parts = [rng.choice(_SELF_PREFIX)]
        long_form = group == "complaint" and rng.random() < 0.18
        if long_form:
            parts.append(rng.choice(_BACKGROUND_TOURIST if sk.tourism else _BACKGROUND_CIVIC))
        parts.append(body)
        details = list(th["details"]) + list(item.get("x", ()))
        r = rng.random()
        k = 0 if r < 0.3 else 1 if r < 0.62 else 2 if r < 0.85 else 3 if r < 0.95 else 4
        if long_form:
            k = max(k, 3) + 1
        if details and k:
            parts.extend(rng.sample(details, min(k, len(details))))
        for p in sk.problems:
            ex = th["extra_details"].get(p)
            if ex:
                parts.append(rng.choice(ex))
        if group == "complaint" and (long_form or rng.random() < 0.3):
            pool = _EXTRA_TOURIST if sk.tourism else _EXTRA_CIVIC
            parts.extend(rng.sample(pool, 2 if long_form else 1))
        if long_form:
            parts.append(rng.choice(_FOLLOW_UP))
            consumer = sk.tourism or (sk.biz is not None and sk.biz["kind"] in _CONSUMER_KINDS)
            parts.extend(rng.sample(_NARRATIVE_CONSUMER if consumer else _NARRATIVE_CIVIC, rng.randint(1, 2)))
        if group == "complaint" or (group == "help" and rng.random() < 0.6):
            demands = item.get("dm") or th["demands"] or (_DEMANDS_HELP if group == "help" else _DEMANDS_COMPLAINT)
            if rng.random() < 0.88:
                parts.append(rng.choice(_CLOSE_FMT).replace("{d}", rng.choice(demands)))
        elif group == "consult":
            parts.append(rng.choice(_CLOSE_CONSULT))
        content = "".join(parts).format_map(slots)
        if rng.random() < 0.04 and title:  # a terse order taken down in a hurry
            content = rng.choice(("来电反映", "反映", "市民反映")) + title + rng.choice(
                ("，请相关部门核实处理。", "，要求相关部门处理。", "，请尽快处理并答复。"))
        if sk.biz is not None and sk.biz["name"] not in content:
            fmt = ("涉及单位：{}。", "被反映单位为{}。") if sk.biz["kind"] in ("employer", "construction", "factory",
                                                                          "property", "agency") \
                else ("涉及商户：{}。", "被反映商家为{}。", "商家名称：{}。")
            content += rng.choice(fmt).format(sk.biz["name"])
        if sk.biz is not None and rng.random() < 0.05:
            content += f"（营业执照上的统一社会信用代码：{sk.biz['uscc']}）"
        if len(content) < 20:
            content += "请帮忙解答，谢谢。" if group == "consult" else "请相关部门尽快处理，谢谢。"
        if not title:
            title = content[:18]
        return title, content

    def reply(self, sk: _Sk, slots: _Slots, outcome: str, when: _dt.datetime, redo: bool = False) -> str:
        rng, th, item = self.rng, sk.var, sk.item or {}
        group = th["group"]
        slots["rdate"] = f"{when.month}月{when.day}日"
        slots["dept"] = sk.lead["short_name"] if sk.lead else "热线中心"
        finds = th["finds"].get(outcome)
        if outcome == "ok" and item.get("a"):
            finds = item["a"]
        if finds:
            core = rng.choice(finds)
        else:
            core = rng.choice(_REPLY_CORE[group][outcome])
        text = rng.choice(_REPLY_OPEN[group]) + core + rng.choice(_REPLY_CLOSE[group])
        if redo:
            text = "（重办）" + text
        return text.format_map(slots)

    # -- one order
    def render_order(self, sk: _Sk) -> list[dict]:
        rng, th = self.rng, sk.var
        t_recv = sk.received
        night = t_recv.hour < 7 or t_recv.hour >= 22
        channel = (_CHANNELS_NIGHT if night else _CHANNELS_DAY).pick(rng)
        if channel == "信件" and not (8 <= t_recv.hour < 17):
            channel = "网站"
        name, phone, id_no = self.caller_fields(sk, channel)
        order_type = _wchoice(rng, th["types"])
        direct = th["direct"] and rng.random() < th["direct"]
        sk.lead = None if direct else self.pick_lead(sk, rng)
        style = "phone" if channel == "电话" and rng.random() < 0.8 else "self"
        slots = _Slots(self, sk, style)
        title, content = self.compose(sk, slots)
        zone = self.ref.zone_of.get(sk.area["code"])
        r = rng.random()
        if zone and r < 0.35:
            area_name = zone["name"]
        elif r < 0.07:
            d = self.ref.district_of(sk.area["code"])
            area_name = d["name"] if d else sk.area["name"]
        else:
            area_name = sk.area["name"]
        address = slots["addr"] if rng.random() < 0.55 or not _PLACES.get(sk.area["name"]) else \
            f"{slots['district']}{slots['town']}{slots['place'] if sk.tourism else slots['road']}附近"
        if sk.biz is not None and rng.random() < 0.5:
            address = sk.biz["address"]
        base = dict.fromkeys(RECORD_KEYS)
        base.update(order_no=sk.order_no, source="12345", order_type=order_type, channel=channel,
                    received_at=_fmt(t_recv), caller_name=name, caller_phone=phone, caller_id_number=id_no,
                    title=title, content=content, address=address, area=area_name,
                    hotline_category=rng.choice((sk.item or {}).get("c") or th["categories"]), status="受理")
        steps: list[tuple[_dt.datetime, dict]] = []
        t = t_recv + _dt.timedelta(seconds=rng.randint(20, 150))
        steps.append((t, {}))
        if direct:
            t = t + _dt.timedelta(minutes=rng.randint(2, 25))
            steps.append((t, {"status": "办结", "reply_text": self.reply(sk, slots, "ok", t), "replied_at": _fmt(t)}))
            return self.materialize(base, steps)
        # dispatch (now and then to the same department of another district: returned for the area)
        misrouted = None
        district = self.ref.district_of(sk.area["code"])
        if sk.lead.get("parent") and district is not None and rng.random() < 0.008:
            others = [d for (p, a), d in self.ref.mirror.items() if p == sk.lead["parent"] and a != district["code"]]
            if others:
                misrouted, sk.lead = sk.lead, rng.choice(others)
        t = self.dispatch_time(t, rng)
        co = None
        if th["co"] and rng.random() < th["co_p"]:
            c = self.resolve(rng.choice(th["co"]), sk, rng)
            if c["code"] != sk.lead["code"]:
                co = c["name"]
        steps.append((t, {"status": "已派单", "lead_department": sk.lead["name"], "co_departments": co}))
        t = self.sign_time(t, sk.lead, rng)
        if rng.random() < 0.93:
            steps.append((t, {"status": "已签收"}))
        # returns (退单) and re-dispatch (改派)
        returned = misrouted is not None or rng.random() < th["ret"]
        n_returns = 0
        while returned and n_returns < 2:
            n_returns += 1
            t = self.work_after(t, rng.randint(40, 600), rng)
            if misrouted is not None:
                new, kind, misrouted = misrouted, "area", None
            else:
                new, kind = self.alternative(sk, sk.lead, rng)
            if kind == "civil":
                reason = rng.choice(_RETURN_REASONS_CIVIL)
            elif kind == "area":
                reason = rng.choice(_RETURN_REASONS_AREA).format(other=new["short_name"])
            else:
                reason = rng.choice(_RETURN_REASONS).format(other=new["short_name"],
                                                            other_field=self.field_name_of(new))
            steps.append((t, {"status": "退单申请", "return_reason": reason}))
            t = self.dispatch_time(t + _dt.timedelta(minutes=int(rng.triangular(20, 20 * 60, 3 * 60))), rng)
            if kind != "area" and rng.random() < 0.15:  # return refused: back to the same department
                steps.append((t, {"status": "已派单"}))
            else:
                sk.lead = new
                ch = {"status": "已改派", "lead_department": new["name"]}
                if co == new["name"]:
                    ch["co_departments"] = None
                steps.append((t, ch))
            t = self.sign_time(t, sk.lead, rng)
            steps.append((t, {"status": "已签收"}))
            returned = rng.random() < 0.08
        if rng.random() < 0.35:
            t = t + _dt.timedelta(minutes=rng.randint(30, 36 * 60))
            steps.append((t, {"status": "办理中"}))
        if rng.random() < 0.006:
            t = self.work_after(t, rng.randint(60, 3 * 24 * 60), rng)
            steps.append((t, {"status": "终止办理"}))
            return self.materialize(base, steps)
        limit = _HANDLE_WORKDAYS.get(order_type, 10)
        n_work = int(limit * rng.random() ** 1.7)
        if order_type in ("投诉", "举报") and rng.random() < 0.06:
            t = self.add_workdays(t, max(1, n_work // 2), rng)
            steps.append((t, {"status": "延期申请"}))
            t = self.work_after(t, rng.randint(60, 20 * 60), rng)
            steps.append((t, {"status": "已延期"}))
            n_work = n_work // 2 + rng.randint(3, 10)
        elif rng.random() < 0.04:
            n_work += rng.randint(1, 6)  # late reply
        # satisfaction decided first so the reply and the callback agree
        sat_p = th["sat"] * (0.93 if n_returns else 1.0)
        reached = rng.random() < 0.92
        if th["group"] == "praise":
            sat = "满意"
        elif rng.random() < sat_p:
            sat = "满意" if rng.random() < 0.8 else "基本满意"
        else:
            sat = "不满意"
        resolution = _SAT_RESOLUTION[sat].pick(rng)
        outcome = _OUTCOME[resolution]
        t = self.add_workdays(t, n_work, rng)
        steps.append((t, {"status": "已回复", "reply_text": self.reply(sk, slots, outcome, t), "replied_at": _fmt(t)}))
        callback = rng.random() < {"praise": 0.3, "suggest": 0.7}.get(th["group"], 0.94)
        if not callback:
            t = self.dispatch_time(t + _dt.timedelta(minutes=rng.randint(60, 2 * 24 * 60)), rng)
            steps.append((t, {"status": "办结"}))
            return self.materialize(base, steps)
        t = self.callback_time(t, rng)
        if not reached:
            steps.append((t, {"status": "已回访", "callback_satisfaction": "未评价", "callback_resolution": None,
                              "callback_at": _fmt(t)}))
        else:
            steps.append((t, {"status": "已回访", "callback_satisfaction": sat, "callback_resolution": resolution,
                              "callback_at": _fmt(t)}))
        if reached and sat == "不满意" and rng.random() < 0.55:
            t = t + _dt.timedelta(minutes=rng.randint(60, 20 * 60))
            steps.append((t, {"status": "重办"}))
            t = self.sign_time(t, sk.lead, rng)
            steps.append((t, {"status": "办理中"}))
            t = self.add_workdays(t, rng.randint(1, 6), rng)
            sat2 = "满意" if rng.random() < 0.45 else ("基本满意" if rng.random() < 0.5 else "不满意")
            res2 = _SAT_RESOLUTION[sat2].pick(rng)
            steps.append((t, {"status": "已回复", "reply_text": self.reply(sk, slots, _OUTCOME[res2], t, redo=True),
                              "replied_at": _fmt(t)}))
            t = self.callback_time(t, rng)
            steps.append((t, {"status": "已回访", "callback_satisfaction": sat2, "callback_resolution": res2,
                              "callback_at": _fmt(t)}))
        t = self.dispatch_time(t + _dt.timedelta(minutes=rng.randint(20, 20 * 60)), rng)
        steps.append((t, {"status": "办结"}))
        return self.materialize(base, steps)

    def materialize(self, base: dict, steps: list[tuple[_dt.datetime, dict]]) -> list[dict]:
        out, cur, last = [], base, None
        for t, ch in steps:
            if last is not None and t <= last:
                t = last + _dt.timedelta(seconds=self.rng.randint(30, 300))
            if t >= self.cutoff:
                break
            cur = {**cur, **ch, "updated_at": _fmt(t)}
            out.append(cur)
            last = t
        if not out:  # received in the very last seconds: the first version is still recorded
            out.append({**base, "updated_at": base["received_at"]})
        return out

    # -- clocks
    def dispatch_time(self, t: _dt.datetime, rng: random.Random) -> _dt.datetime:
        if 7 <= t.hour < 21:
            return t + _dt.timedelta(minutes=rng.randint(8, 150))
        nxt = t.date() if t.hour < 7 else t.date() + _dt.timedelta(days=1)
        return _dt.datetime.combine(nxt, _dt.time(8)) + _dt.timedelta(minutes=rng.randint(0, 90))

    def sign_time(self, t: _dt.datetime, dep: dict, rng: random.Random) -> _dt.datetime:
        t2 = t + _dt.timedelta(minutes=int(rng.triangular(5, 8 * 60, 40)))
        if dep and ("gongan" in (dep.get("fields") or []) or dep.get("level") == "zone"):
            return t2  # on duty around the clock
        return self.to_work_hours(t2, rng)

    def work_after(self, t: _dt.datetime, minutes: int, rng: random.Random) -> _dt.datetime:
        return self.to_work_hours(t + _dt.timedelta(minutes=minutes), rng)

    def to_work_hours(self, t: _dt.datetime, rng: random.Random) -> _dt.datetime:
        d = t.date()
        if _is_workday(d) and (8 * 60 + 30) <= t.hour * 60 + t.minute < 17 * 60 + 30:
            return t
        if _is_workday(d) and t.hour * 60 + t.minute < 8 * 60 + 30:
            return _dt.datetime.combine(d, _dt.time(8, 30)) + _dt.timedelta(minutes=rng.randint(0, 100))
        d += _dt.timedelta(days=1)
        while not _is_workday(d):
            d += _dt.timedelta(days=1)
        return _dt.datetime.combine(d, _dt.time(8, 30)) + _dt.timedelta(minutes=rng.randint(0, 120))

    def add_workdays(self, t: _dt.datetime, n: int, rng: random.Random) -> _dt.datetime:
        d = t.date()
        while n > 0:
            d += _dt.timedelta(days=1)
            if _is_workday(d):
                n -= 1
        if d == t.date():
            return self.to_work_hours(t + _dt.timedelta(minutes=rng.randint(30, 300)), rng)
        if rng.random() < 0.9:
            minute = rng.randint(8 * 60 + 30, 17 * 60 + 30)
        else:
            minute = rng.randint(17 * 60 + 30, 21 * 60 + 30)
        return _dt.datetime.combine(d, _dt.time()) + _dt.timedelta(minutes=minute, seconds=rng.randint(0, 59))

    def callback_time(self, t: _dt.datetime, rng: random.Random) -> _dt.datetime:
        t2 = t + _dt.timedelta(minutes=rng.randint(120, 3 * 24 * 60))
        if t2.hour < 9:
            t2 = t2.replace(hour=9, minute=rng.randint(0, 59))
        elif t2.hour >= 20:
            t2 = _dt.datetime.combine(t2.date() + _dt.timedelta(days=1), _dt.time(9, rng.randint(0, 59)))
        return t2


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

def _build(end, days, target_orders, seed, reference, render=True) -> _Generator:
    g = _Generator(end, days, target_orders, seed, reference)
    g.plan()
    if render:
        g.records = g.render()
    return g


def generate_stream(end: _dt.date = DEFAULT_END, days: int = 90, target_orders: int = 20000,
                    seed: int = DEFAULT_SEED, reference: dict | None = None) -> Iterator[dict]:
    """Yield record versions (dicts with exactly ``RECORD_KEYS``, values ``str`` or ``None``)
    of at least ``target_orders`` distinct orders received in the ``days`` days ending ``end``,
    sorted by ``updated_at`` (then order number); nothing later than the end of ``end`` is
    yielded, so recent orders are still in progress. Deterministic for a given seed."""
    g = _build(end, days, target_orders, seed, reference)
    yield from g.records


def _public_event(e: dict) -> dict:
    return {k: v for k, v in e.items() if not k.startswith("_")}


def demo_events(end: _dt.date = DEFAULT_END, days: int = 90, target_orders: int = 20000,
                seed: int = DEFAULT_SEED, reference: dict | None = None) -> list[dict]:
    """The events injected into the stream of the same arguments (see the module doc):
    ferry suspensions (``kind == "ferry_suspension"``) and complaint clusters (``"cluster"``),
    each with the order numbers that belong to it."""
    g = _build(end, days, target_orders, seed, reference, render=False)
    return [_public_event(e) for e in g.events]


def order_truth(end: _dt.date = DEFAULT_END, days: int = 90, target_orders: int = 20000,
                seed: int = DEFAULT_SEED, reference: dict | None = None) -> dict[str, dict]:
    """Planned ground truth per order number: theme, enforcement, kind, tourism, field (the
    GUIDE's names), problem types, business (name, USCC) and event ids."""
    g = _build(end, days, target_orders, seed, reference, render=False)
    out = {}
    for sk in g.sks:
        v = sk.var
        out[sk.order_no] = {
            "theme": sk.theme["code"], "enforcement": v["enf"], "kind": v["kind"] if v["enf"] else None,
            "tourism": sk.tourism, "field": v["field"], "problems": list(sk.problems) if v["enf"] else [],
            "business": sk.biz["name"] if sk.biz else None, "uscc": sk.biz["uscc"] if sk.biz else None,
            "events": [e["id"] for e in sk.events], "received_at": _fmt(sk.received), "area": sk.area["name"],
        }
    return out


@functools.lru_cache(maxsize=1)
def _default_events() -> tuple:
    return tuple(demo_events())


def __getattr__(name: str):  # DEMO_EVENTS is computed on first access (it needs the plan)
    if name == "DEMO_EVENTS":
        return list(_default_events())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
