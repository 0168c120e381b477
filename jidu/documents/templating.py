"""Rendering the administrator-edited title and body templates (Django template syntax) over a
context. A dedicated engine: no template loaders, no autoescaping (the output is a Word file)."""

import datetime as dt

from django.template import Context, Engine, TemplateSyntaxError

from jidu.documents.numerals import chinese_date

_engine = Engine(dirs=[], app_dirs=False, autoescape=False, debug=False, loaders=[])


class TemplateProblem(ValueError):
    pass


def check_template(text: str) -> None:
    try:
        _engine.from_string(text or "")
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"模板语法错误：{exc}") from None


def render_text(text: str, context: dict) -> str:
    try:
        template = _engine.from_string(text or "")
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"模板语法错误：{exc}") from None
    try:
        return template.render(Context(context, autoescape=False)).strip()
    except Exception as exc:  # noqa: BLE001 — e.g. {% include %} (no loaders) or a failing filter
        raise TemplateProblem(f"模板渲染出错：{type(exc).__name__} {exc}") from None


def full_context(context: dict, *, doc_type, issued_at, addressee=None) -> dict:
    """The caller's context plus what every template may use."""
    values = {"authority": doc_type.authority, "department": addressee, "issue_date_cn": chinese_date(issued_at),
              "doc_name": doc_type.name}
    values.update(context)
    deadline = values.get("deadline")
    if isinstance(deadline, (dt.date, dt.datetime)) and not values.get("deadline_cn"):
        values["deadline_cn"] = chinese_date(deadline)
    return values


def sample_context() -> dict:
    """What the admin preview renders with."""
    day = dt.date(2026, 11, 27)
    return {
        "case": {"number": "督案〔2026〕1号", "subject": "沈家门海鲜排档短斤少两投诉处置不力",
                 "summary": "2026年9月以来，群众反映沈家门某海鲜排档短斤少两共3起，承办单位未及时立案查处。",
                 "filed_date_cn": chinese_date(day)},
        "order": {"order_no": "ZS20260901001", "title": "海鲜排档短斤少两", "content": "（工单内容）",
                  "received_at": dt.datetime(2026, 9, 1, 9, 30)},
        "orders": [],
        "department": {"name": "普陀区市场监督管理局"},
        "deadline": dt.date(2026, 12, 18), "deadline_cn": chinese_date(dt.date(2026, 12, 18)),
        "issue_date_cn": chinese_date(day), "authority": "舟山市司法局", "extra": "",
    }
