from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.worktime.models import TimeLimit
from jidu.worktime.services import invalidate_cache

DATA = Path(__file__).resolve().parents[2] / "data" / "time_limits.json"


class Command(BaseCommand):
    help = "载入监督案件各环节的办理时限（supervision.*）。已有的不覆盖，除非指定 --reset。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args, file, reset, **options):
        created = 0
        with transaction.atomic():
            for item in read_json(file, "监督案件时限文件"):
                values = {k: item[k] for k in ("name", "amount", "unit", "note") if k in item}
                if reset:
                    _, new = TimeLimit.objects.update_or_create(key=item["key"], defaults=values)
                else:
                    _, new = TimeLimit.objects.get_or_create(key=item["key"], defaults=values)
                created += new
        invalidate_cache()
        self.stdout.write(f"监督案件办理时限：新增{created}条。")
