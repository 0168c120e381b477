from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.jurisdiction.models import DisputeSetting
from jidu.jurisdiction.services.lists import load_catalogue_data

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "zhoushan_catalogue.json"


class Command(BaseCommand):
    help = "载入派单目录与职责清单起步数据（按条目编号更新，可重复运行）和派单争议默认设置。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT))

    def handle(self, *args, file, **options):
        data = read_json(file, "清单文件")
        with transaction.atomic():
            settings = data.get("dispute_settings", {})
            DisputeSetting.objects.get_or_create(pk=1, defaults={
                "reminder_hours": settings.get("reminder_hours", [12, 20]),
                "time_limit_key": settings.get("time_limit_key", "dispute")})
            try:
                counts = load_catalogue_data(data.get("entries", []))
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"职责清单：新建{counts['created']}条，更新{counts['updated']}条，未变{counts['unchanged']}条。")
