"""Pushing orders: one, or a batch of up to JIDU_API_BATCH_MAX, with a result per item."""

from django.conf import settings
from ninja import Schema, Status
from ninja.errors import HttpError

from jidu.intake.auth import TokenAuth
from jidu.intake.models import ImportBatch
from jidu.intake.services import Ingestor, Outcome, bump_batch

from jidu.orders.api import router  # pushing and reading share the /orders path


Scalar = str | int | float | None


class OrderIn(Schema):
    """One work order in the canonical field names (see docs/INTAKE.md). Absent fields keep their
    stored values on an update."""

    order_no: str | int
    source: str | None = None
    order_type: str | None = None
    channel: str | None = None
    received_at: str
    caller_name: str | None = None
    caller_phone: Scalar = None
    caller_id_number: Scalar = None
    title: str | None = None
    content: str | None = None
    address: str | None = None
    area: str | None = None
    hotline_category: str | None = None
    lead_department: str | None = None
    co_departments: str | list[str] | None = None
    status: str | None = None
    return_reason: str | None = None
    due_at: str | None = None
    reply_text: str | None = None
    replied_at: str | None = None
    callback_resolution: str | None = None
    callback_satisfaction: str | None = None
    callback_at: str | None = None
    updated_at: str | None = None


class ProblemOut(Schema):
    field: str
    value: str
    reason: str


class ResultOut(Schema):
    index: int
    order_no: str
    result: str
    id: int | None = None
    errors: list[ProblemOut] = []
    warnings: list[ProblemOut] = []


class BatchIn(Schema):
    orders: list[OrderIn]


class BatchOut(Schema):
    batch_id: int
    created: int
    updated: int
    unchanged: int
    stale: int
    errors: int
    results: list[ResultOut]


def _record(item: OrderIn) -> dict:
    data = item.dict()
    if isinstance(data.get("co_departments"), list):
        data["co_departments"] = "；".join(data["co_departments"])
    return data


def _result(outcome: Outcome) -> dict:
    def problems(items):
        return [{"field": p.column, "value": p.value, "reason": p.reason} for p in items]

    return {"index": outcome.ref, "order_no": outcome.order_no, "result": outcome.result, "id": outcome.order_id,
            "errors": problems(outcome.errors), "warnings": problems(outcome.warnings)}


def _ingest(request, items: list[OrderIn]) -> tuple[ImportBatch, list[Outcome]]:
    token = request.api_token
    for i, item in enumerate(items):
        if item.source not in (None, "", token.source.code, token.source.name):
            raise HttpError(403, f"第{i + 1}条记录的来源“{item.source}”与令牌所属来源“{token.source.code}”不一致：该令牌无权写入其他来源")
    label = f"接口推送：{token.source.code}/{token.name}"
    batch = ImportBatch.objects.create(source=token.source, kind=ImportBatch.Kind.API, actor_label=label,
                                       state=ImportBatch.State.RUNNING)
    ingestor = Ingestor(token.source, actor_label=label, batch=batch)
    outcomes: list[Outcome] = []
    for chunk in ingestor.ingest_chunks((i, _record(item)) for i, item in enumerate(items)):
        bump_batch(batch, chunk)
        outcomes.extend(chunk)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.DONE)
    batch.refresh_from_db()
    return batch, outcomes


@router.post("", auth=TokenAuth("orders:write"), response={200: ResultOut, 201: ResultOut, 422: ResultOut},
             summary="推送一条工单（新增或更新）", tags=["工单推送"])
def push_order(request, payload: OrderIn):
    _batch, outcomes = _ingest(request, [payload])
    outcome = outcomes[0]
    code = 201 if outcome.result == "created" else 422 if outcome.result == "error" else 200
    return Status(code, _result(outcome))


@router.post("/batch", auth=TokenAuth("orders:write"), response=BatchOut,
             summary="批量推送工单（每批最多1000条，逐条返回结果）", tags=["工单推送"])
def push_batch(request, payload: BatchIn):
    limit = settings.JIDU_API_BATCH_MAX
    if len(payload.orders) > limit:
        raise HttpError(413, f"每批最多{limit}条工单，本批{len(payload.orders)}条：请拆分后分批推送（未处理任何记录）")
    if not payload.orders:
        raise HttpError(422, "本批没有工单")
    batch, outcomes = _ingest(request, payload.orders)
    return {"batch_id": batch.pk, "created": batch.created, "updated": batch.updated,
            "unchanged": batch.unchanged, "stale": batch.stale, "errors": batch.errors,
            "results": [_result(o) for o in outcomes]}
