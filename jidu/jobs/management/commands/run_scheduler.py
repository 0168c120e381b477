import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jidu.jobs import services

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("运行到期的定时作业（每个作业先原子领取再运行，多个调度器同时运行也不会重复）。"
            "默认运行一轮后退出（--once，便于 cron）；--loop N 每 N 秒一轮，收到 SIGTERM 时在当前作业完成后退出。")

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="循环运行，间隔秒数")
        parser.add_argument("--once", action="store_true", help="只运行一轮（不加 --loop 时的默认行为）")

    def handle(self, *args, loop=0, once=False, **options):
        if once or not loop:
            self.report(services.run_due(), always=True)
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *a: stopping.append(1))
        while not stopping:
            try:
                self.report(services.run_due(), always=False)
            except Exception:  # the database went away, …: log, reconnect next pass, keep going
                log.exception("调度器本轮运行失败，%s 秒后重试", loop)
            for _ in range(loop):
                if stopping:
                    break
                time.sleep(1)
            close_old_connections()  # drop a broken or expired connection between passes

    def report(self, counts, *, always):
        if always or counts["done"] or counts["failed"] or counts["queued"]:
            self.stdout.write(f"定时作业：完成 {counts['done']} 个，失败 {counts['failed']} 个，"
                              f"交给任务队列 {counts['queued']} 个，已由其他调度器领取 {counts['skipped']} 个")
