from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.grading.models import ColourLevel, Criterion, GradingPolicy
from jidu.org.models import Field, ProblemType

DATA = Path(__file__).resolve().parents[2] / "data" / "zhoushan_grading.json"

CRITERION_FIELDS = ["kind", "active", "exclusive_group", "cluster_by", "min_count", "window_hours", "lookback_days",
                    "min_amount", "words", "calendar_kind", "holiday_names", "date_ranges", "lunar_dates",
                    "event_kinds", "days_after", "points", "min_colour", "reason"]


def _named(model, value):
    return model.objects.filter(code=value).first() or model.objects.filter(name=value).first()


class Command(BaseCommand):
    help = "载入三色研判的默认配置（颜色等级、研判方案与条件）。已有的不覆盖，除非指定 --reset。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))
        parser.add_argument("--reset", action="store_true", help="按默认值覆盖已有的同名颜色等级、方案与条件")

    def handle(self, *args, file, reset, **options):
        data = read_json(file, "三色研判配置文件")
        created = {"levels": 0, "policies": 0, "criteria": 0}
        missing = []
        with transaction.atomic():
            for item in data.get("colour_levels", []):
                values = {k: item[k] for k in ("name", "response_hours", "handling", "badge", "sort") if k in item}
                if reset:
                    _, new = ColourLevel.objects.update_or_create(code=item["code"], defaults=values)
                else:
                    _, new = ColourLevel.objects.get_or_create(code=item["code"], defaults=values)
                created["levels"] += new
            for n, item in enumerate(data.get("policies", [])):
                values = {k: item[k] for k in ("tourism", "enforcement_only", "red_at", "orange_at", "yellow_at",
                                               "priority", "base_reason", "note", "active") if k in item}
                policy, new = GradingPolicy.objects.get_or_create(name=item["name"], defaults=values)
                if not new and not reset:
                    continue
                created["policies"] += new
                for key, value in values.items():
                    setattr(policy, key, value)
                policy.save()
                fields = [f for f in (_named(Field, c) for c in item.get("fields", [])) if f]
                policy.fields.set(fields)
                for sort, crit in enumerate(item.get("criteria", []), 1):
                    cvalues = {k: crit[k] for k in CRITERION_FIELDS if k in crit}
                    cvalues["sort"] = crit.get("sort", sort * 10)
                    criterion, cnew = Criterion.objects.update_or_create(policy=policy, name=crit["name"],
                                                                         defaults=cvalues)
                    created["criteria"] += cnew
                    problems = []
                    for code in crit.get("problem_types", []):
                        pt = _named(ProblemType, code)
                        (problems.append(pt) if pt else missing.append(code))
                    criterion.problem_types.set(problems)
        if missing:
            self.stderr.write("未找到的问题类型（请先载入参考数据）：" + "、".join(missing))
        self.stdout.write(f"三色研判默认配置：新增颜色等级{created['levels']}个、研判方案{created['policies']}个、"
                          f"研判条件{created['criteria']}个。")
