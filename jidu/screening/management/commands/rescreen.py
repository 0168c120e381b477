import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from jidu.orders.models import WorkOrder
from jidu.screening import services


def _date(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class Command(BaseCommand):
    help = "重新筛查工单（人工确认的标签不会被覆盖）。须指定范围：--all、--since/--until、--field、--order-no 或 --pending。"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="全部工单")
        parser.add_argument("--since", help="受理日期起（含），YYYY-MM-DD")
        parser.add_argument("--until", help="受理日期止（含），YYYY-MM-DD")
        parser.add_argument("--field", help="当前筛查结果的执法领域名称")
        parser.add_argument("--order-no", action="append", default=[], help="工单编号（可重复）")
        parser.add_argument("--pending", action="store_true", help="从未筛查或标记为待重新筛查的工单")
        parser.add_argument("--batch-size", type=int, default=services.BATCH_SIZE)

    def handle(self, *args, **o):
        if not (o["all"] or o["since"] or o["until"] or o["field"] or o["order_no"] or o["pending"]):
            raise CommandError("请指定范围：--all、--since/--until、--field、--order-no 或 --pending")
        qs = WorkOrder.objects.all()
        if o["since"]:
            qs = qs.filter(received_at__gte=_date(o["since"]))
        if o["until"]:
            qs = qs.filter(received_at__lt=_date(o["until"]) + dt.timedelta(days=1))
        if o["field"]:
            qs = qs.filter(screening__field__name=o["field"])
        if o["order_no"]:
            qs = qs.filter(order_no__in=o["order_no"])
        if o["pending"]:
            qs = qs.filter(Q(screening__isnull=True) | Q(screening__needs_rescreen=True))
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write("没有符合条件的工单。")
            return
        context = services.Context()
        if context.screener is None:
            self.stderr.write("注意：没有可用的模型，只应用规则与人工确认，工单将保持“待重新筛查”。")
        total = {"screened": 0, "changed": 0, "failed": 0}
        step = max(1, o["batch_size"]) * 10
        for i in range(0, len(ids), step):
            stats = services.screen_orders(ids[i:i + step], batch_size=o["batch_size"], context=context)
            for key in total:
                total[key] += stats[key]
            self.stdout.write(f"  已筛查 {min(i + step, len(ids))}/{len(ids)}")
        version = context.model_version.version if context.model_version else "无"
        self.stdout.write(self.style.SUCCESS(
            f"重新筛查完成：{total['screened']}件，结果变化{total['changed']}件，模型失败{total['failed']}件（模型版本 {version}）。"))
