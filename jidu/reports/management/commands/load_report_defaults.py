from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.reports.models import ReportTemplate

DATA = Path(__file__).resolve().parents[2] / "data" / "report_templates.json"


class Command(BaseCommand):
    help = "载入报告章节模板的默认文本。已有的章节不覆盖（管理员的修改保留），除非指定 --reset。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))
        parser.add_argument("--reset", action="store_true", help="按默认文本覆盖已有章节")

    def handle(self, *args, file, reset, **options):
        data = read_json(file, "报告章节模板文件")
        created = updated = 0
        with transaction.atomic():
            for item in data.get("templates", []):
                values = {k: item[k] for k in ("heading", "body", "sort", "active") if k in item}
                if reset:
                    _, new = ReportTemplate.objects.update_or_create(kind=item["kind"], section=item["section"],
                                                                     defaults=values)
                    updated += not new
                else:
                    _, new = ReportTemplate.objects.get_or_create(kind=item["kind"], section=item["section"],
                                                                  defaults=values)
                created += new
        self.stdout.write(f"报告章节模板：新增{created}个" + (f"，覆盖{updated}个" if reset else "") + "。")
