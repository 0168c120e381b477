import datetime as dt
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from jidu.warnings.services import run_detectors


class Command(BaseCommand):
    help = "运行预警检测（诉求量异常、相似投诉聚集、反复被投诉、即将超时），发出或更新预警并抄报。"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="按此时刻检测（ISO 格式，如 2026-11-14T10:00），默认现在")
        parser.add_argument("--loop", type=int, default=0, help="每隔 N 秒重复运行（0=只运行一次）")
        parser.add_argument("--only", action="append", help="只运行指定检测器（可重复）：spike/cluster/repeat_offender/deadline_risk")
        parser.add_argument("--no-notify", action="store_true", help="只写预警，不发通知")

    def handle(self, *args, at, loop, only, no_notify, **options):
        now = None
        if at:
            now = parse_datetime(at)
            if now is None:
                try:
                    now = dt.datetime.fromisoformat(at)
                except ValueError:
                    raise CommandError(f"无法识别的时刻：{at}（请用 ISO 格式，如 2026-11-14T10:00）") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        while True:
            timings = {}
            warnings = run_detectors(now, only=only, notify=not no_notify, timings=timings)
            counts = Counter(w.get_kind_display() for w in warnings)
            self.stdout.write(f"{timezone.localtime(now or timezone.now()):%Y-%m-%d %H:%M} 预警检测："
                              + ("，".join(f"{k} {n} 条" for k, n in counts.items()) or "无异常")
                              + "；用时 " + "，".join(f"{k} {v:.2f}s" for k, v in timings.items()))
            if not loop:
                break
            time.sleep(loop)
            now = None
