"""Open a dispute for every order that arrives (or changes) with status 退单申请."""

import logging

log = logging.getLogger(__name__)


def open_disputes_for_returns(sender, *, created_ids=(), updated_ids=(), **kwargs):
    ids = list(dict.fromkeys([*(created_ids or []), *(updated_ids or [])]))
    if not ids:
        return
    try:
        from jidu.jurisdiction.services.disputes import open_for_returned_orders

        open_for_returned_orders(ids)
    except Exception:  # never make an import fail; `scan_disputes --returns` repairs
        log.exception("退单争议开启失败（%s件工单），可用 manage.py scan_disputes 重新检查", len(ids))
