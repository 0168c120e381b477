"""Propose directives for orders that arrive or change with an unsatisfied callback, a reopen (重办)
or a repeated complaint. The periodic ``propose_due()`` scans the same rules again, so a failure
here is repaired on its next pass."""

import logging

log = logging.getLogger(__name__)


def propose_for_ingested(sender, *, created_ids=(), updated_ids=(), **kwargs):
    ids = list(dict.fromkeys([*(created_ids or []), *(updated_ids or [])]))
    if not ids:
        return
    try:
        from jidu.directives.services import propose_for_orders

        propose_for_orders(ids)
    except Exception:  # never make an import fail
        log.exception("督办建议生成失败（%s件工单），定时任务 propose_due 会重新检查", len(ids))
