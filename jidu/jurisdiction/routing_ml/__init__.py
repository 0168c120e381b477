"""Routing model (issue 4, 智能派单建议): which department should handle an order.

Pure Python + scikit-learn, no Django. ``RoutingModel.load()`` gives the shipped model (trained on
the routing set built from the taidi2020c government replies, see docs/ROUTING_MODEL.md);
``predict(text, k=3)`` returns ``[(department, probability), ...]``. The shipped model's labels are
department *types* (住建, 教育, 公安 ...); :data:`ZHOUSHAN_DEPARTMENT_CODES` maps them to the
Zhoushan departments of ``jidu/org/data/zhoushan.json``.
"""

from .model import DEFAULT_ARTIFACT, KeywordBaseline, RoutingModel, topk_accuracy

# Department type (label of the shipped model) -> city-level department code in
# jidu/org/data/zhoushan.json. 街道乡镇 (township / street office) has no city department: the
# order's area decides it. Types absent here are not classes of the shipped model.
ZHOUSHAN_DEPARTMENT_CODES: dict[str, str | None] = {
    "住建": "ZJJ", "教育": "JYJ", "公安": "GAJ", "城管": "ZHZF", "交通": "JTYS", "人社": "RSJ",
    "自然资源": "ZRZY", "生态环境": "STHJ", "医保": "YBJ", "发改": "FGW", "卫健": "WJW", "民政": "MZJ",
    "市场监管": "SCJG", "供水": "ZLSGS", "供电": "GDGS", "公积金": "GJJ", "农业农村": "NYNC", "商务": "SWJ",
    "应急": "YJJ", "消防": "XFZD", "文旅": "WGLT", "司法": "SFJ", "街道乡镇": None,
}

__all__ = ["RoutingModel", "KeywordBaseline", "topk_accuracy", "DEFAULT_ARTIFACT", "ZHOUSHAN_DEPARTMENT_CODES"]
