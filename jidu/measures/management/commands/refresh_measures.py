from django.core.management.base import BaseCommand

from jidu.measures.services import refresh


class Command(BaseCommand):
    help = ("刷新考核指标与驾驶舱的每日预汇总：首次或 --full 时全量重建，否则只重算有工单变更的日期。"
            "由定时任务每5分钟运行；每晚运行一次 --full。")

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="全量重建")

    def handle(self, *args, full=False, **options):
        self.stdout.write(refresh(full=full))
