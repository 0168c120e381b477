from django.core.management.base import BaseCommand
from django.db import transaction

from jidu.warnings.defaults import DATA, default_detectors
from jidu.warnings.models import DetectorConfig, Kind


class Command(BaseCommand):
    help = "载入预警检测器的默认阈值（data/detectors.json）。已有检测器只补充缺少的参数键，管理员改过的值不覆盖；--reset 按默认值覆盖。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))
        parser.add_argument("--reset", action="store_true", help="按默认值覆盖已有检测器的参数")

    def handle(self, *args, file, reset, **options):
        created = completed = 0
        with transaction.atomic():
            for item in default_detectors(file):
                if item["code"] not in Kind.values:
                    self.stderr.write(f"未知检测器 {item['code']}，已跳过")
                    continue
                params = item.get("params", {})
                row = DetectorConfig.objects.filter(code=item["code"]).first()
                if row is None:
                    DetectorConfig.objects.create(code=item["code"], enabled=item.get("enabled", True), params=params,
                                                  note=item.get("note", ""))
                    created += 1
                elif reset:
                    row.params, row.enabled, row.note = params, item.get("enabled", True), item.get("note", "")
                    row.save()
                    completed += 1
                else:
                    missing = {k: v for k, v in params.items() if k not in (row.params or {})}
                    if missing:
                        row.params = {**(row.params or {}), **missing}
                        row.save(update_fields=["params", "updated_at"])
                        completed += 1
        self.stdout.write(f"预警检测器：新建 {created} 个，补充/重置 {completed} 个。")
