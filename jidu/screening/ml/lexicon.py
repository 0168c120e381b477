"""Keyword priors used by the screening model (pure Python).

The labelled set for enforcement / kind / field / problems / tourism is tiny (300 rows), so
the model gets a few dozen low-dimensional "lexicon" features next to its character n-grams:
counts of cue words per group. They generalise where 300 rows cannot, and their hits are
readable evidence for the supervisor ("依据：‘缺斤少两’").

The lists are domain knowledge written from the labelling guide and the mechanism spec, not
mined from the evaluation data. Matching is on substrings of the normalised (simplified,
half-width) text -- never on word boundaries, which do not exist in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Problem types of the labelling guide (17). "其他违法" has no cue list on purpose.
PROBLEM_LABELS: tuple[str, ...] = (
    "虚假宣传", "短斤少两", "黄牛揽客/强迫消费", "价格违法", "退订退款纠纷", "无证无照经营", "食品安全",
    "产品质量", "噪声扰民", "环境污染", "违章建筑/违法用地", "非法营运", "占道经营/市容", "欠薪/劳动违法",
    "安全隐患", "执法不作为/乱作为", "其他违法",
)

# Fields of the labelling guide (15).
FIELD_LABELS: tuple[str, ...] = (
    "文旅", "市场监管", "交通运输", "住建", "资源规划", "生态环境", "综合执法", "卫生健康", "人社", "教育",
    "农业农村", "公安", "应急消防", "民政", "其他",
)

# First-level labels of the taidi2020c data set (7).
TAIDI_FIELD_LABELS: tuple[str, ...] = (
    "城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输",
)

PROBLEM_CUES: dict[str, tuple[str, ...]] = {
    "虚假宣传": ("虚假宣传", "虚假广告", "夸大宣传", "虚假承诺", "误导消费", "欺骗消费", "与宣传不符", "宣传不符",
             "货不对板", "名不副实", "虚假信息", "虚构", "诱骗", "欺诈消费", "承诺不兑现", "实际不符"),
    "短斤少两": ("短斤少两", "缺斤少两", "缺斤短两", "短斤缺两", "鬼秤", "黑心秤", "短秤", "少秤", "缺秤",
             "称重不足", "分量不足", "斤两不足", "秤不准", "作弊秤", "少了几两", "少了半斤", "缺两", "克扣分量"),
    "黄牛揽客/强迫消费": ("黄牛", "揽客", "拉客", "强迫消费", "强制消费", "强买强卖", "强行推销", "诱导购物",
                   "强制购物", "购物点", "宰客", "托儿", "拉人", "强行收", "捆绑销售", "不消费不让走"),
    "价格违法": ("乱收费", "天价", "价格欺诈", "哄抬", "明码标价", "未标价", "擅自涨价", "多收费", "违规收费",
             "加价", "价格虚高", "高价", "收费标准", "乱涨价", "变相收费", "强制收费", "收取费用", "额外收费",
             "重复收费", "超标准收费", "自立名目", "补课费", "择校费", "物业费", "停车费", "价格"),
    "退订退款纠纷": ("退款", "退订", "退费", "不予退还", "拒绝退", "不退", "定金", "押金", "取消订单", "退钱",
               "退房", "退还", "订金", "预付款", "停航", "停运退"),
    "无证无照经营": ("无证经营", "无照经营", "无证", "无照", "没有营业执照", "没有执照", "未办理营业执照", "黑诊所",
               "非法经营", "无资质", "没有资质", "无许可证", "黑作坊", "非法行医", "无办学资质", "非法办学",
               "未取得", "没有办理"),
    "食品安全": ("食品安全", "变质", "过期", "腐烂", "食物中毒", "不卫生", "地沟油", "吃出", "异物", "苍蝇",
             "拉肚子", "腹泻", "发霉", "健康证", "病死", "注水肉", "农药残留", "黑作坊", "食堂"),
    "产品质量": ("质量问题", "假冒", "伪劣", "假货", "三无产品", "劣质", "以次充好", "不合格", "质量差", "掺假",
             "冒充", "山寨", "次品"),
    "噪声扰民": ("噪音", "噪声", "扰民", "吵闹", "很吵", "施工声", "广场舞", "喇叭", "高音", "夜间施工", "半夜施工",
             "轰鸣", "影响休息", "无法入睡", "分贝"),
    "环境污染": ("污染", "排污", "废水", "废气", "臭味", "异味", "粉尘", "扬尘", "黑烟", "偷排", "直排", "油烟",
             "焚烧", "恶臭", "污水", "垃圾堆", "渣土", "排放", "化工", "养殖场", "水质"),
    "违章建筑/违法用地": ("违章建筑", "违建", "私搭乱建", "乱搭乱建", "违法建设", "违规建设", "违法用地", "非法占地",
                   "占用耕地", "加建", "搭建", "违规建房", "违法建筑", "乱建", "强占", "非法采砂", "采石",
                   "毁林", "占用基本农田", "违规审批", "小产权"),
    "非法营运": ("黑车", "非法营运", "无证营运", "黑的", "摩的", "拒载", "绕路", "不打表", "黑出租", "非法载客",
             "营运资质", "超员", "私家车拉客", "黑中介"),
    "占道经营/市容": ("占道经营", "占道", "流动摊贩", "摆摊", "乱摆", "出店经营", "乱堆", "占用人行道", "市容",
                 "乱停", "小广告", "摊点", "夜宵摊", "马路市场", "乱贴"),
    "欠薪/劳动违法": ("拖欠工资", "欠薪", "工资拖欠", "拖欠农民工", "不发工资", "克扣工资", "劳动合同", "社保",
                 "加班费", "辞退", "讨薪", "社会保险", "拖欠", "工资", "五险一金", "劳动仲裁", "开除", "工伤",
                 "最低工资", "试用期", "公积金"),
    "安全隐患": ("安全隐患", "消防", "隐患", "危险", "坍塌", "电梯", "易燃", "燃气", "煤气", "违规储存", "超载",
             "危房", "安全事故", "爆炸", "触电", "火灾", "塌方", "危化", "生命安全"),
    "执法不作为/乱作为": ("不作为", "乱作为", "推诿", "踢皮球", "无人管", "没人管", "无人处理", "不管不问", "置之不理",
                   "多次反映", "多次投诉", "多次举报", "反映多次", "至今未", "至今没有", "敷衍", "暴力执法",
                   "乱罚款", "乱执法", "选择性执法", "强拆", "包庇", "官商勾结", "充耳不闻", "石沉大海",
                   "相互推", "互相推", "没有任何回复", "不予理睬", "执法人员", "城管打人", "乱扣", "滥用职权",
                   "未作处理", "没有处理", "不闻不问", "视而不见", "睁一只眼"),
    "其他违法": (),
}

TOURISM_CUES: tuple[str, ...] = (
    "景区", "景点", "旅游", "游客", "旅行社", "导游", "民宿", "酒店", "宾馆", "旅馆", "客栈", "度假", "门票",
    "游船", "游览", "观光", "旅行团", "跟团", "自由行", "农家乐", "入住", "退房", "前台", "携程", "去哪儿",
    "飞猪", "网约房", "短租", "日租房", "客房", "住宿", "房间", "游玩", "旅客", "景交", "索道", "游乐",
    "普陀山", "朱家尖", "桃花岛", "东极岛", "沈家门", "嵊泗", "岱山", "海鲜排档", "渡轮", "轮渡", "船票",
    "导游证", "购物店", "团费", "自驾游", "露营", "沙滩",
)

ENFORCEMENT_CUES: tuple[str, ...] = (
    "举报", "违法", "违规", "非法", "查处", "处罚", "严查", "取缔", "执法", "整治", "偷偷", "私自", "擅自",
    "违反", "欺诈", "责令", "要求查", "请求查", "请查", "依法", "投诉", "涉嫌", "黑心", "无良", "坑害", "欺骗",
    "侵害", "霸占", "强行", "威胁", "殴打", "打人", "诈骗", "赌博", "传销", "污染", "噪音", "扰民",
    "违章", "偷排", "拖欠", "未按规定", "不按规定", "明文规定", "国家规定", "规定", "条例", "法律",
)

CONDUCT_CUES: tuple[str, ...] = PROBLEM_CUES["执法不作为/乱作为"] + (
    "城管", "执法局", "执法大队", "罚款", "没收", "扣押", "查扣", "态度恶劣", "处理结果", "回复", "不处理",
    "不管", "推脱", "置若罔闻", "上级部门", "监管不力", "监管部门",
)

QUESTION_CUES: tuple[str, ...] = (
    "咨询", "请问", "如何", "怎么办理", "能否", "是否可以", "可不可以", "政策", "建议", "希望", "何时",
    "什么时候", "申请", "补贴", "落户", "办理", "能不能", "需要哪些", "哪里办", "咨询一下", "想问",
    "呼吁", "恳请", "求助", "修建", "修路", "开通", "增设", "增加", "改造", "规划", "公交", "路灯", "感谢",
    "表扬", "为什么", "怎么", "有没有", "是不是", "何时能",
)

# Cues per field of the guide (used as features for the field head, and as evidence).
FIELD_CUES: dict[str, tuple[str, ...]] = {
    "文旅": ("景区", "旅游", "旅行社", "导游", "游客", "网吧", "演出", "文化市场", "门票", "民宿", "文物", "出版"),
    "市场监管": ("市场监管", "工商", "食品", "药店", "价格", "营业执照", "假冒", "商家", "消费者", "超市", "电梯",
             "广告", "质量", "计量", "商品", "餐馆", "饭店", "药品"),
    "交通运输": ("交通", "公交", "出租车", "客运", "道路", "运输", "高速", "黑车", "驾校", "车站", "网约车",
             "班车", "航道", "港口", "码头", "轮渡"),
    "住建": ("物业", "开发商", "小区", "业主", "房产", "住建", "建筑工地", "施工", "商品房", "房产证", "不动产证",
           "维修基金", "业委会", "燃气", "保障房", "公租房", "拆迁", "棚改", "供水", "停水"),
    "资源规划": ("国土", "土地", "规划", "征地", "宅基地", "采砂", "采石", "矿", "林地", "砍伐", "毁林", "耕地",
             "不动产登记", "自然资源", "野生动物", "强拆", "征收"),
    "生态环境": ("环保", "污染", "排污", "废水", "废气", "化工厂", "工厂", "环评", "排放", "养殖场", "辐射"),
    "综合执法": ("城管", "综合执法", "占道", "摊贩", "违建", "违章建筑", "油烟", "渣土", "夜间施工", "市容", "广告牌",
             "私搭乱建", "夜宵"),
    "卫生健康": ("医院", "卫生院", "医生", "诊所", "医疗", "卫健", "疫苗", "计生", "护士", "看病", "医保", "患者",
             "生育", "二胎", "独生子女"),
    "人社": ("工资", "社保", "养老保险", "劳动", "人社", "退休", "养老金", "就业", "劳务", "辞退", "失业", "职称",
           "公务员", "编制", "事业单位", "招聘"),
    "教育": ("学校", "学生", "老师", "教师", "幼儿园", "教育局", "补课", "培训机构", "校长", "学籍", "班主任",
           "中学", "小学", "入学", "招生", "学费", "家长"),
    "农业农村": ("农业", "农村", "农民", "种植", "养殖", "农机", "化肥", "农药", "种子", "村委", "合作社", "渔",
             "动物防疫", "扶贫"),
    "公安": ("派出所", "公安", "警察", "民警", "报警", "110", "打架", "斗殴", "赌博", "诈骗", "盗窃", "偷", "户口",
           "身份证", "酒吧", "KTV", "广场舞", "传销", "交警", "驾驶证", "违章"),
    "应急消防": ("消防", "火灾", "安全生产", "应急", "烟花爆竹", "危化品", "易燃易爆", "安监", "消防通道"),
    "民政": ("低保", "民政", "养老院", "敬老院", "残疾", "救助", "殡葬", "墓", "婚姻登记", "社区", "福利", "优抚",
           "退役军人"),
    "其他": ("纪委", "法院", "腐败", "村干部", "书记", "贪污", "税务", "银行", "电信", "移动", "联通", "邮政",
           "快递", "供电", "电力"),
}


def _groups() -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for label, cues in PROBLEM_CUES.items():
        if cues:
            groups[f"problem:{label}"] = cues
    groups["tourism"] = TOURISM_CUES
    groups["enforcement"] = ENFORCEMENT_CUES
    groups["conduct"] = CONDUCT_CUES
    groups["question"] = QUESTION_CUES
    for label, cues in FIELD_CUES.items():
        groups[f"field:{label}"] = cues
    return groups


LEXICON_GROUPS: dict[str, tuple[str, ...]] = _groups()
GROUP_NAMES: tuple[str, ...] = tuple(LEXICON_GROUPS)


@dataclass
class LexiconHits:
    """Per-group hit counts for one text plus the matched cue words."""

    counts: np.ndarray  # shape (len(GROUP_NAMES),), float32
    words: dict[str, list[str]]  # group -> distinct cue words found (first-seen order)


class Lexicon:
    """Substring matcher over all cue groups (Aho-Corasick via pyahocorasick, a dependency of
    cpca; falls back to ``str.find`` when it is absent)."""

    def __init__(self, groups: dict[str, tuple[str, ...]] | None = None):
        self.groups = dict(groups or LEXICON_GROUPS)
        self.names = tuple(self.groups)
        self._index = {name: i for i, name in enumerate(self.names)}
        word_groups: dict[str, list[int]] = {}
        for name, cues in self.groups.items():
            for cue in cues:
                word_groups.setdefault(cue, []).append(self._index[name])
        self._word_groups = {w: tuple(g) for w, g in word_groups.items()}
        try:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for w in self._word_groups:
                auto.add_word(w, w)
            auto.make_automaton()
            self._auto = auto
        except ImportError:  # pragma: no cover - cpca brings pyahocorasick
            self._auto = None

    @property
    def n_features(self) -> int:
        return len(self.names)

    def find(self, text: str) -> list[tuple[int, str]]:
        """All cue occurrences as (start, word)."""
        if not text:
            return []
        if self._auto is not None:
            return [(end - len(w) + 1, w) for end, w in self._auto.iter(text)]
        out = []
        for w in self._word_groups:
            start = text.find(w)
            while start >= 0:
                out.append((start, w))
                start = text.find(w, start + 1)
        return sorted(out)

    def hits(self, text: str) -> LexiconHits:
        counts = np.zeros(len(self.names), dtype=np.float32)
        return LexiconHits(counts, self._scan(text, counts))

    def group_words(self, text: str) -> dict[str, list[str]]:
        """``hits(text).words`` without the counts (what the explanation needs)."""
        return self._scan(text)

    def _scan(self, text: str, counts: np.ndarray | None = None) -> dict[str, list[str]]:
        """Group -> distinct cue words found (first-seen order); adds hit counts to ``counts``."""
        words: dict[str, list[str]] = {}
        names, word_groups = self.names, self._word_groups
        for _, w in self.find(text):
            for g in word_groups[w]:
                if counts is not None:
                    counts[g] += 1
                lst = words.setdefault(names[g], [])
                if w not in lst:
                    lst.append(w)
        return words

    def matrix(self, texts) -> np.ndarray:
        """Feature matrix log1p(hit counts), shape (n, n_features)."""
        out = np.zeros((len(texts), len(self.names)), dtype=np.float32)
        auto = self._auto
        wg = self._word_groups
        for i, text in enumerate(texts):
            if not text:
                continue
            row = out[i]
            if auto is not None:
                for _, w in auto.iter(text):
                    for g in wg[w]:
                        row[g] += 1
            else:
                for _, w in self.find(text):
                    for g in wg[w]:
                        row[g] += 1
        return np.log1p(out)
