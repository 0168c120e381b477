from pathlib import Path

from django.core.management.base import BaseCommand

from jidu.core.datafiles import read_json

DATA = Path(__file__).resolve().parents[2] / "data" / "defaults.json"


class Command(BaseCommand):
    help = "载入会商巡查的默认办理时限（会商跟进任务、介入指导）。只补缺，不覆盖管理员已修改的数据。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))

    def handle(self, *args, file, **options):
        from jidu.worktime.models import TimeLimit
        from jidu.worktime.services import invalidate_cache

        data = read_json(file, "会商巡查默认数据文件")
        created = 0
        for item in data.get("time_limits", []):
            _obj, new = TimeLimit.objects.get_or_create(
                key=item["key"], defaults={"name": item["name"], "amount": item["amount"], "unit": item["unit"],
                                           "note": item.get("note", "")})
            created += new
        invalidate_cache()
        self.stdout.write(f"会商巡查办理时限：新增{created}条（已有的不覆盖）。")
