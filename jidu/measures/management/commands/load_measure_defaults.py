from pathlib import Path

from django.core.management.base import BaseCommand

from jidu.core.datafiles import read_json
from jidu.measures.services import load_defaults

DATA = Path(__file__).resolve().parents[2] / "data" / "settings.json"


class Command(BaseCommand):
    help = "载入考核指标默认设置（小样本阈值等）。已有设置时不覆盖管理员的修改。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))

    def handle(self, *args, file, **options):
        created = load_defaults(read_json(file, "考核指标设置文件"))
        self.stdout.write("考核指标设置：" + ("已载入默认值" if created else "已存在，未改动"))
