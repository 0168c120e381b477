from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.documents.models import DocumentType

DATA = Path(__file__).resolve().parents[2] / "data" / "document_types.json"
FIELDS = ["name", "prefix", "authority", "authority_mark", "title_template", "body_template", "sort", "note",
          "active"]


class Command(BaseCommand):
    help = "载入监督文书类型（通知书、意见书、建议书、决定书、提醒函、督办单）及其模板。已有的不覆盖，除非指定 --reset。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))
        parser.add_argument("--reset", action="store_true", help="按默认值覆盖已有的同代码文书类型")

    def handle(self, *args, file, reset, **options):
        created = updated = 0
        with transaction.atomic():
            for item in read_json(file, "文书类型配置文件"):
                values = {k: item[k] for k in FIELDS if k in item}
                if reset:
                    _, new = DocumentType.objects.update_or_create(code=item["code"], defaults=values)
                    updated += not new
                else:
                    _, new = DocumentType.objects.get_or_create(code=item["code"], defaults=values)
                created += new
        self.stdout.write(f"监督文书类型：新增{created}个" + (f"，按默认值重置{updated}个" if reset else "") + "。")
