"""The canonical order fields that every intake path (API, CSV, Excel, demo) speaks.

File headers are mapped onto these names through the editable HeaderSynonym table; the API uses
them directly. Labels are what error reports show.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    required: bool = False


FIELDS: list[FieldSpec] = [
    FieldSpec("order_no", "工单编号", required=True),
    FieldSpec("source", "来源"),
    FieldSpec("order_type", "工单类型"),
    FieldSpec("channel", "来源渠道"),
    FieldSpec("received_at", "受理时间", required=True),
    FieldSpec("caller_name", "来电人姓名"),
    FieldSpec("caller_phone", "联系电话"),
    FieldSpec("caller_id_number", "身份证号"),
    FieldSpec("title", "标题"),
    FieldSpec("content", "诉求内容", required=True),
    FieldSpec("address", "事发地址"),
    FieldSpec("area", "所属区域"),
    FieldSpec("hotline_category", "热线分类"),
    FieldSpec("lead_department", "主办单位"),
    FieldSpec("co_departments", "协办单位"),
    FieldSpec("status", "工单状态"),
    FieldSpec("return_reason", "退单理由"),
    FieldSpec("due_at", "办理时限"),
    FieldSpec("reply_text", "答复内容"),
    FieldSpec("replied_at", "答复时间"),
    FieldSpec("callback_resolution", "回访-解决情况"),
    FieldSpec("callback_satisfaction", "回访-满意度"),
    FieldSpec("callback_at", "回访时间"),
    FieldSpec("updated_at", "更新时间"),
]
FIELD_NAMES = [f.name for f in FIELDS]
LABELS = {f.name: f.label for f in FIELDS}
REQUIRED = [f.name for f in FIELDS if f.required]
