"""Signals other stages listen to (screening screens what arrived, grading re-grades)."""

from django.dispatch import Signal

# Sent after each committed chunk of an ingest run, outside its transaction.
# kwargs: source, batch (ImportBatch or None), via ("api" | "file" | "demo" | other label),
#         created_ids (list[int]), updated_ids (list[int]) — orders any of whose fields changed,
#         text_changed_ids (list[int]) — the updated orders whose title or content changed.
#         texts (dict[int, tuple[str, str]]) — (title, content) as written, for the created and
#         text-changed orders (screening reads them from here instead of the database).
orders_ingested = Signal()
