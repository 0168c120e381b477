"""Demo warnings: replay the detectors over the last 30 days of the demo period (every 6 hours), so the warnings
list shows what the mechanism would have raised — the ferry-suspension refund burst (copied to
文广旅体 and 市场监管), the complaint clusters, repeat offenders — then one run now, which
notifies. Idempotent: does nothing when warnings exist already."""

import datetime as dt

from django.utils import timezone

STEP_HOURS = 6
REPLAY_DAYS = 30  # the demo's ferry suspension starts 13 days before its last day


def populate(stdout, *, replay_days: int = REPLAY_DAYS) -> None:
    from jidu.orders.models import WorkOrder
    from jidu.warnings.models import Warning
    from jidu.warnings.replay import replay
    from jidu.warnings.services import run_detectors

    if Warning.objects.exists():
        stdout.write(f"预警：已有 {Warning.objects.count()} 条，不重复生成。")
        return
    first = WorkOrder.objects.order_by("received_at").values_list("received_at", flat=True).first()
    if first is None:
        return
    now = timezone.now()
    # leave a week of history before the first run so the baselines have something to stand on
    start = timezone.localtime(first).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=7)
    start = min(max(start, timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
                    - dt.timedelta(days=replay_days)), now)
    for _ in replay(start, now - dt.timedelta(hours=STEP_HOURS), STEP_HOURS, notify=False):
        pass
    run_detectors(now)  # the current ones are copied (notified) now
    counts = {label: Warning.objects.filter(kind=code).count() for code, label in Warning._meta.get_field("kind").choices}
    stdout.write("预警：" + "，".join(f"{k} {n} 条" for k, n in counts.items()))
