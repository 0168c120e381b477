"""Grade orders as soon as screening has (re)screened them: after imports, API tasks, rescreens
and people's corrections alike (screening sends `orders_screened` in every case)."""

import logging

log = logging.getLogger(__name__)


def grade_screened(sender, order_ids=(), **kwargs):
    from jidu.grading.services import grade_orders

    ids = list(order_ids or [])
    if not ids:
        return
    try:
        grade_orders(ids)
    except Exception:  # grading must never make an import or a correction fail; `regrade` repairs
        log.exception("三色研判失败（%s件工单），可用 manage.py regrade 重新研判", len(ids))
