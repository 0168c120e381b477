import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jidu.grading.services import grade_orders
from jidu.orders.models import WorkOrder


class Command(BaseCommand):
    help = ("按当前研判方案重新研判已筛查的工单。自动研判只会升级颜色，不会降低（降级须人工填写理由）。"
            "用 --since 指定受理日期起点，或 --all 全部重新研判。")

    def add_arguments(self, parser):
        parser.add_argument("--since", help="受理日期起（YYYY-MM-DD）")
        parser.add_argument("--until", help="受理日期止（YYYY-MM-DD，含当天）")
        parser.add_argument("--all", action="store_true", help="全部已筛查工单")
        parser.add_argument("--ids", nargs="*", type=int, help="指定工单ID")
        parser.add_argument("--chunk", type=int, default=2000)

    def handle(self, *args, since=None, until=None, all=False, ids=None, chunk=2000, **options):
        if not (since or until or all or ids):
            raise CommandError("请指定 --since / --until、--ids 或 --all")
        qs = WorkOrder.objects.filter(screening__isnull=False)
        tz = timezone.get_current_timezone()
        try:
            if since:
                qs = qs.filter(received_at__gte=dt.datetime.combine(dt.date.fromisoformat(since), dt.time.min,
                                                                    tzinfo=tz))
            if until:
                qs = qs.filter(received_at__lt=dt.datetime.combine(dt.date.fromisoformat(until)
                                                                   + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD") from None
        if ids:
            qs = qs.filter(pk__in=ids)
        order_ids = list(qs.order_by("received_at", "id").values_list("pk", flat=True))
        totals = {"graded": 0, "raised": 0, "kept": 0, "ungraded": 0, "mates": 0}
        for start in range(0, len(order_ids), chunk):
            stats = grade_orders(order_ids[start:start + chunk])
            for key in totals:
                totals[key] += stats.get(key, 0)
        self.stdout.write(f"重新研判{len(order_ids)}件：新定色{totals['graded']}件，升级{totals['raised']}件，"
                          f"保持{totals['kept']}件，未定色{totals['ungraded']}件，连带研判同一商户/地点工单{totals['mates']}件。")
