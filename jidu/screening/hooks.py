"""Screening right after intake (connected in ScreeningConfig.ready)."""

import logging

from jidu.screening import services

log = logging.getLogger(__name__)

SYNC_VIA = ("file", "demo")  # already a background job or a batch: screen in line
ASYNC_VIA = ("api",)  # do not slow the request: enqueue


def enqueue_screening(ids: list[int]):
    from jidu.screening.tasks import screen_orders_task

    return screen_orders_task.enqueue(ids)


def on_orders_ingested(sender, *, via="", created_ids=(), updated_ids=(), text_changed_ids=None, texts=None,
                       **kwargs):
    # Screening reads the title and content: a status or reply change needs no new screening.
    changed = updated_ids if text_changed_ids is None else text_changed_ids
    ids = list(dict.fromkeys([*(created_ids or []), *(changed or [])]))
    if not ids:
        return
    if via in ASYNC_VIA:
        try:
            enqueue_screening(ids)
        except Exception:
            log.exception("could not enqueue screening of %d orders; marked for rescreen", len(ids))
            services.mark_for_rescreen(ids)
    elif via in SYNC_VIA:
        services.screen_safely(ids, texts=texts)
    # Other callers of the Ingestor (scripts, tests) screen explicitly or via `rescreen`.
