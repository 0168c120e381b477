import time

from django.core.management.base import BaseCommand

from jidu.directives import services


class Command(BaseCommand):
    help = ("按督办建议规则生成督办建议（每件工单每条规则一次），并发送督办催办、升级逾期未回复的督办；"
            "--loop N 每N秒运行一次。")

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="循环运行，间隔秒数")
        parser.add_argument("--no-propose", action="store_true", help="只催办，不生成建议")

    def handle(self, *args, loop=0, no_propose=False, **options):
        while True:
            if not no_propose:
                self.stdout.write(services.propose_due())
            self.stdout.write(services.send_reminders())
            if not loop:
                break
            time.sleep(loop)
