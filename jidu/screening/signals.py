"""Signals screening sends (grading can re-grade when a screening result changes)."""

from django.dispatch import Signal

# Sent after each committed chunk of a screening run (intake hook, API task, rescreen), outside its
# transaction. kwargs: order_ids (list[int]) screened, changed_ids (list[int]) whose result changed.
orders_screened = Signal()
