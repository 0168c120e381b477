import time

from django.core.management.base import BaseCommand

from jidu.jurisdiction.services import disputes
from jidu.orders.models import Status, WorkOrder


class Command(BaseCommand):
    help = "发送派单争议提醒（每个时点一次）并升级超时争议；--returns 补开退单争议；--loop N 每N秒运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--returns", action="store_true", help="为状态为“退单申请”但没有争议的工单开启争议")
        parser.add_argument("--loop", type=int, default=0, help="循环运行，间隔秒数")

    def handle(self, *args, returns=False, loop=0, **options):
        while True:
            if returns:
                ids = WorkOrder.objects.filter(status=Status.RETURN_REQUESTED).values_list("pk", flat=True)
                opened = disputes.open_for_returned_orders(list(ids))
                self.stdout.write(f"补开退单争议 {len(opened)} 件")
            counts = disputes.scan()
            self.stdout.write(f"已发提醒 {counts['reminders']} 条，升级 {counts['escalated']} 件")
            if not loop:
                break
            time.sleep(loop)
