"""Callables for periodic jobs whose owning app has no argument-free entry point of its own.
Each takes no arguments and returns a short Chinese summary (the PeriodicJob contract)."""


def scan_disputes() -> str:
    """Dispatch-dispute clock (jurisdiction): reminders once per point, escalation once. The same
    logic as ``manage.py scan_disputes``; safe with several schedulers (ReminderSent is unique)."""
    from jidu.jurisdiction.services import disputes

    counts = disputes.scan()
    return f"已发提醒 {counts['reminders']} 条，升级 {counts['escalated']} 件"
