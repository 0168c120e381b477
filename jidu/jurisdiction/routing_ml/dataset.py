"""The routing set: which department answered a citizen's message, read from the government reply.

Pure Python (no Django). Source: ``taidi2020c/unlabeled_attachment4_with_replies.csv`` of
``../shared/data`` (2,797 messages with the government's 答复意见). Nothing here is shipped data --
texts are read at training / benchmark time only.

How a row gets a label (see docs/ROUTING_MODEL.md for the figures):

1. The reply is whitespace-stripped. Every mention of a department is found with the lexicon
   :data:`DEPARTMENT_TYPES` (name cores such as 住房和城乡建设局, 住建局, 房产局, 教育局, 派出所,
   交警大队, 城管执法局 ...). The place prefix in front of a core (A市, A3区, A7县, 西地省, 市/区/县,
   中共 ...) is not part of the label: a mention is reduced to its **department type** (住建, 教育,
   公安 ...), so that the same kind of department in different cities and districts is one class.
2. A mention only counts when its context says that this department answered or handled the
   message (:data:`CONTEXT_RULES`, strongest first):
     * ``signature`` -- the name is followed by a date (``A3区教育局2019年5月6日``) or ends the reply;
     * ``handler``   -- ``经X调查/核实``, ``已转(交)X调查/处理/办理``, ``X回复/答复``, ``X高度重视``,
       ``X已答复`` ...;
     * ``self``      -- the reply speaks as a township or street office (``我镇``, ``我街道``,
       ``我乡``, ``我社区``), or thanks the citizen for caring about a department's work
       (``感谢您对住建工作的支持``, ``感谢您对我局城市管理工作的关心``);
     * ``referral``  -- the reply sends the citizen to the competent department
       (``请向K市发展和改革委员会反映``, ``请到当地派出所咨询``).
   Mentions in other contexts (``根据西地省人民政府文件``, ``A市广电局职工集资房``) are ignored.
3. The label is the type of the first mention of the strongest context level present (for
   signatures: the last one, as a reply may quote a forwarding note first). Generic government
   bodies (区/县人民政府, 县委, 网信/宣传办 that only forward) have no type and never label a row.
4. Types with fewer than :data:`MIN_EXAMPLES` labelled rows are dropped (rows stay unlabelled).

Split: ``sha1(留言编号) % 10`` -- buckets :data:`TEST_BUCKETS` (0 and 1, ~20 %) are the test split,
the rest is training. Rows whose text (title + body) duplicates a test row are removed from
training.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"
REPLIES_FILE = "taidi2020c/unlabeled_attachment4_with_replies.csv"

MIN_EXAMPLES = 15  # a department type needs >= this many labelled rows to be a class
TEST_BUCKETS: tuple[int, ...] = (0, 1)  # sha1(留言编号) % 10 in these -> test split

# --------------------------------------------------------------------------------------------
# Department types. Order matters: the first type whose pattern matches a name wins, so the
# specific names come before the generic ones (住房公积金管理中心 before 住房..., 交警 before 交通).
# Each entry: type label -> regex of name cores (the part after any place prefix).
DEPARTMENT_TYPES: dict[str, str] = {
    "公积金": r"住房公积金(?:管理)?中心|公积金(?:管理)?中心",
    "医保": r"医疗保障局|医保(?:局|中心|部门|站)|医疗保险(?:管理)?(?:服务)?(?:中心|局)|医疗保险经办",
    "公安": (r"公安(?:局|分局|厅|机关|部门|交警|交管)|交管(?:部门|局|大队|支队)|派出所|交警(?:大队|支队|中队|部门|队)?|交通警察(?:支队|大队)|"
             r"交巡警(?:支队|大队)?|车管所|治安(?:大队|支队)|出入境管理|[出入人]境(?:管理)?大队|户政"),
    "消防": r"消防(?:救援)?(?:支队|大队|局|部门)",
    "人社": (r"人力资源和社会保障(?:局|厅|部门)|人力资源(?:和)?社会保障局|人社(?:局|厅|部门)|人力社保局|"
             r"社(?:会)?保(?:险)?(?:局|中心|经办机构|处)|社会保险(?:事业|基金|费)?(?:管理)?(?:局|中心)|"
             r"劳动(?:保障)?监察(?:大队|支队)?|就业(?:服务)?(?:局|中心)|劳动(?:人事)?争议仲裁|养老保险(?:管理)?(?:中心|处)"),
    "住建": (r"住房和城乡建设(?:局|委员会|委|厅|部门)|住房(?:和)?城乡建设局|住建(?:局|委|厅|部门|工作)?|"
             r"城乡建设(?:局|委员会|委)|建设(?:局|委员会)|建委|房(?:屋|地)?产(?:管理)?局|房管(?:局|所|部门)|"
             r"住房保障(?:和房产管理)?(?:局|中心|服务中心)|住房服务中心|物业(?:管理)?(?:办|科|中心)|"
             r"建设工程质量安全(?:监督)?(?:督查)?站|人民防空办公室|人防办|燃气(?:管理)?(?:处|办)"),
    "自然资源": (r"自然资源(?:和规划)?(?:局|厅|部门)|国土资源(?:局|厅|部门)|国土(?:局|所|部门)|"
                 r"(?:城乡)?规划(?:局|部门|委员会|分局)|不动产登记(?:中心|局)|资规局"),
    "城管": (r"城市管理(?:和综合|和行政)?执法(?:局|大队|支队)|城市管理(?:局|委员会|部门|工作)|城管(?:执法)?(?:局|委|大队|中队|部门|执法)?|"
             r"行政执法(?:局|大队|分局)|综合(?:行政)?执法(?:局|大队)|执法(?:大队|中队)|环卫(?:局|处|所)|"
             r"市容(?:环境)?(?:卫生)?(?:管理)?(?:局|处)|园林(?:绿化)?(?:局|处)"),
    "交通": (r"交通运输(?:局|厅|部门|委员会)|交通(?:局|部门)|运管(?:处|所|局|部门)|道路运输(?:管理)?(?:处|局|所)|"
             r"公路(?:管理)?(?:局|处|段)|公交(?:ic卡|IC卡)?(?:公司|集团|管理中心)|ic卡(?:管理)?中心|出租车管理|港航|海事"),
    "生态环境": r"生态环境(?:局|厅|部门|分局)|环(?:境)?保(?:护)?(?:局|厅|部门|分局)|环境监察(?:大队|支队)?|环保",
    "卫健": (r"卫生(?:和计划生育|健康)(?:局|委员会|委|部门)|卫健(?:委|局|部门)|卫计(?:委|局)|卫生局|卫生监督所|"
             r"人口(?:和)?计(?:划)?生(?:育)?(?:委员会|委|局)|计生(?:委|局|部门|办)|人口计生|疾控中心|疾病预防控制中心"),
    "市场监管": (r"市场监督管理(?:局|部门)|市场监管(?:局|部门)|工商(?:行政管理)?(?:局|分局|所|部门)|"
                 r"质(?:量技术)?监(?:督)?局|质监|食品药品监督管理局|食药监(?:局)?"),
    "教育": r"教育(?:和体育|体育|科技|)(?:局|厅|委员会|部门|事业)|教体局|教育部门",
    "发改": r"发展(?:和)?改革(?:委员会|委|局)|发改(?:委|局|部门|工作)|物价(?:局|部门)|价格主管部门",
    "民政": r"民政(?:[\u4e00-\u9fa5]{0,6}局|厅|部门)",
    "税务": r"税务(?:局|部门|分局|所)|国税局|地税局",
    "财政": r"财政(?:局|厅|部门)",
    "农业农村": r"农业(?:农村)?(?:局|委员会|部门)|农业委|农委|农林局|畜牧(?:水产)?局|动物卫生监督所|农机局",
    "林业": r"林业局",
    "水利": r"水利(?:局|厅|部门)|水务局",
    "文旅": r"文化(?:和)?旅游(?:广电)?(?:体育)?局|文(?:化)?广(?:电)?(?:新)?(?:旅)?(?:体)?局|旅游(?:局|部门)|文体(?:广新)?局|文化局",
    "商务": r"商务(?:局|部门)|商务和粮食局",
    "应急": r"应急管理(?:局|部门)|安(?:全生产)?监(?:督管理)?局|安监(?:局|部门)",
    "司法": r"司法(?:局|所)",
    "供电": r"供电(?:公司|局|所)|电力公司|国网",
    "供水": r"自来水(?:公司|集团)?|水务(?:投)?(?:公司|集团)|供水(?:公司|集团)",
    "燃气": r"燃气(?:公司|集团)|天然气公司",
    "街道乡镇": (r"街道办事处|街道办|街道(?:党工委|工委)|(?:镇|乡)(?:人民)?政府|镇党委|乡党委|"
                 r"社区居委会|居民委员会|村民委员会|村委会|"
                 # a bare township / street name acting: 要求大成桥镇进行调查, 坡头镇党委、政府高度重视
                 r"(?<=[\u4e00-\u9fa5])(?:镇|乡|街道)(?=进行|调查|核实|核查|高度重视|立即|迅速|已|组织|工作人员|党委|政府|办事处)|"
                 r"(?:镇|乡|街道)$"),
}

_TYPE_RES = {t: re.compile(p) for t, p in DEPARTMENT_TYPES.items()}
_ANY_CORE = re.compile("|".join(f"(?:{p})" for p in DEPARTMENT_TYPES.values()))

# Place prefixes stripped by :func:`normalise_department` (masked names: A市, A3区, A7县, 西地省;
# real names: 舟山市, 定海区, 岱山县, 浙江省 ...).
_PLACE_PREFIX = re.compile(
    r"^(?:中共|国网)?(?:(?:[A-Z][0-9]{0,2}(?:市|区|县)|西地省|[\u4e00-\u9fa5]{1,4}?(?:省|自治区|市|州|区|县|新区)|市|区|县|省)"
    r"(?:本级|直属)?)+")


def department_type(name: str) -> str | None:
    """The department type of a (possibly place-prefixed) department name, or None."""
    name = name.strip()
    core = _PLACE_PREFIX.sub("", name) or name
    # the stripped core first (a place name must not decide the type); the full name when
    # stripping ate part of the department name (定海区市场监督管理局 -> 场监督管理局)
    for candidate in (core, name):
        for t, rx in _TYPE_RES.items():
            if rx.search(candidate):
                return t
    return None


def normalise_department(name: str) -> str | None:
    """Alias of :func:`department_type`: 'A市住房和城乡建设局' -> '住建', 'A3区教育局' -> '教育'."""
    return department_type(name)


# --------------------------------------------------------------------------------------------
# Contexts. Each rule looks at the text just before (L) and just after (R) a mention.
_DATE = r"(?:\d{4}\s*年\s*\d{1,2}\s*月|\d{4}[.\-/]\d{1,2}|[二].{3}年.{1,3}月|[〇○零一二三四五六七八九十]{4}年)"
_NAME_GAP = r"[\u4e00-\u9fa5A-Za-z0-9、（）()]{0,14}"  # place prefix / other names between cue and core
_BEFORE_HANDLER = re.compile(r"(?:经|由|已转|转交|转至|转到|转给|并转|现转|转请|交由|责成|要求|组织|联合|委托|安排|协调|承办|责任单位[：:])"
                             + _NAME_GAP + r"$")
_AFTER_HANDLER = re.compile(
    r"^(?:[\u4e00-\u9fa5]{0,6}?(?:大队|中队|科|股|处|所|站|室|分局|办))?"
    r"(?:[、和及与][\u4e00-\u9fa5A-Z0-9]{0,10}?)?"  # 坡头镇党委、政府高度重视 / A4区环保局和A9街道工作人员
    r"(?:已经?|正在|依法|通过|经过|多次|非常重视|十分重视|重视|立即|迅速|高度重视|及时|对此|接到|收到|现场|调查|核实|核查|核处|办理|处理|办复|回复|答复|予以|进行|"
    r"经调查|工作人员|执法人员|执法队员|派员|组织|会同|联合|针对|就|于\d|对(?:该|您|你|此))")
_AFTER_SIGNATURE = re.compile(r"^(?:[\u4e00-\u9fa5]{0,8}?(?:科|股|处|室|办|中心|大队|支队|中队|所))?\s*(?:" + _DATE + r"|$)")
_BEFORE_SELF = re.compile(r"(?:感谢(?:您|你|网友)?(?:对|关注)(?:我们|我)?(?:[局委办县市区])?|我(?:们)?(?:县|市|区)?)$")
_AFTER_SELF_WORK = re.compile(r"^(?:工作|事业|的工作)")
_BEFORE_REFERRAL = re.compile(r"(?:请|可|建议|需|详询|咨询)[^。！？；]{0,6}?(?:向|到|与|咨询|联系|致电|拨打|询)" + _NAME_GAP + r"$")
_AFTER_REFERRAL = re.compile(r"^[\u4e00-\u9fa5]{0,6}?(?:咨询|反映|申请|投诉|举报|报案|联系)")
_SELF_LOCAL = re.compile(r"我(?:镇|乡|街道|社区|办事处)")

CONTEXT_RULES: tuple[str, ...] = ("signature", "handler", "self", "referral")


@dataclass(frozen=True)
class Mention:
    dept_type: str
    context: str
    start: int
    text: str


def _clean(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def find_mentions(reply: str) -> list[Mention]:
    """All department mentions in ``reply`` that sit in an answering / handling context."""
    text = _clean(reply)
    out: list[Mention] = []
    for m in _ANY_CORE.finditer(text):
        s, e = m.start(), m.end()
        core = m.group(0)
        t = department_type(core)
        if t is None:
            continue
        left, right = text[max(0, s - 16):s], text[e:e + 24]
        if _AFTER_SIGNATURE.match(right):
            ctx = "signature"
        elif _BEFORE_HANDLER.search(left) or _AFTER_HANDLER.match(right):
            ctx = "handler"
        elif _BEFORE_SELF.search(left) and _AFTER_SELF_WORK.match(right):
            ctx = "self"
        elif core.endswith(("工作", "事业")) and re.search(r"(?:感谢|关心|关注|支持)[^。！]{0,8}$", left):
            ctx = "self"
        elif _BEFORE_REFERRAL.search(left) or (re.search(r"[向到]" + _NAME_GAP + "$", left)
                                               and _AFTER_REFERRAL.match(right)):
            ctx = "referral"
        else:
            continue
        out.append(Mention(t, ctx, s, core))
    for m in _SELF_LOCAL.finditer(text):
        out.append(Mention("街道乡镇", "self", m.start(), m.group(0)))
    out.sort(key=lambda x: x.start)
    return out


def extract_department(reply: str) -> tuple[str | None, str | None]:
    """(department type, context rule) of the department that answered ``reply``; (None, None)
    when the reply does not name one."""
    mentions = find_mentions(reply)
    for ctx in CONTEXT_RULES:
        level = [m for m in mentions if m.context == ctx]
        if level:
            chosen = level[-1] if ctx == "signature" else level[0]
            return chosen.dept_type, ctx
    return None, None


# --------------------------------------------------------------------------------------------
def hash_bucket(key: str, buckets: int = 10) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % buckets


def message_text(title: str, body: str) -> str:
    """Model input: title + body, whitespace stripped (the same form an order's text takes)."""
    return _clean(title) + "。" + _clean(body)


@dataclass
class RoutingRow:
    uid: str
    text: str
    label: str | None
    context: str | None
    bucket: int


@dataclass
class RoutingSet:
    rows: list[RoutingRow]  # every row of the source file (label None when not extracted)
    min_examples: int = MIN_EXAMPLES
    test_buckets: tuple[int, ...] = TEST_BUCKETS
    dropped: dict[str, int] = field(default_factory=dict)  # types below min_examples

    @property
    def labelled(self) -> list[RoutingRow]:
        return [r for r in self.rows if r.label is not None]

    @property
    def classes(self) -> list[str]:
        return sorted({r.label for r in self.labelled})

    def class_counts(self) -> dict[str, int]:
        return dict(Counter(r.label for r in self.labelled).most_common())

    def context_counts(self) -> dict[str, int]:
        return dict(Counter(r.context for r in self.labelled).most_common())

    def split(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """(train_texts, train_labels, test_texts, test_labels), deterministic (hash of 留言编号)."""
        test = [r for r in self.labelled if r.bucket in self.test_buckets]
        test_texts = {r.text for r in test}
        train = [r for r in self.labelled if r.bucket not in self.test_buckets and r.text not in test_texts]
        return [r.text for r in train], [r.label for r in train], [r.text for r in test], [r.label for r in test]

    def summary(self) -> dict:
        tr_x, tr_y, te_x, te_y = self.split()
        return {
            "rows": len(self.rows),
            "labelled": len(self.labelled),
            "labelled_share": round(len(self.labelled) / max(1, len(self.rows)), 4),
            "classes": len(self.classes),
            "min_examples": self.min_examples,
            "class_counts": self.class_counts(),
            "dropped_types": self.dropped,
            "context_counts": self.context_counts(),
            "train": len(tr_x),
            "test": len(te_x),
            "test_buckets": list(self.test_buckets),
        }


def read_replies(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def build_routing_set(data_dir: Path | str | None = None, min_examples: int = MIN_EXAMPLES,
                      test_buckets: tuple[int, ...] = TEST_BUCKETS) -> RoutingSet:
    """Read the replies file under ``data_dir`` (default ../shared/data) and label its rows."""
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    raw = read_replies(data_dir / REPLIES_FILE)
    rows: list[RoutingRow] = []
    for r in raw:
        uid = str(r.get("留言编号", "")).strip()
        label, ctx = extract_department(r.get("答复意见", ""))
        rows.append(RoutingRow(uid=uid, text=message_text(r.get("留言主题", ""), r.get("留言详情", "")),
                               label=label, context=ctx, bucket=hash_bucket(uid)))
    counts = Counter(r.label for r in rows if r.label)
    dropped = {t: n for t, n in counts.items() if n < min_examples}
    for r in rows:
        if r.label in dropped:
            r.label, r.context = None, None
    return RoutingSet(rows=rows, min_examples=min_examples, test_buckets=test_buckets,
                      dropped=dict(sorted(dropped.items(), key=lambda kv: -kv[1])))
