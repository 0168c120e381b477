from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.screening.models import LabelThreshold, Rule

DEFAULTS = Path(__file__).resolve().parents[2] / "data" / "defaults.json"


class Command(BaseCommand):
    help = "载入默认筛查阈值与舟山起步规则（可重复运行：已有的不覆盖，除非 --reset）。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULTS))
        parser.add_argument("--reset", action="store_true", help="用文件中的值覆盖已有阈值与同名规则")

    def handle(self, *args, file, reset, **options):
        data = read_json(file, "筛查默认配置文件")
        n_thr = n_rules = 0
        with transaction.atomic():
            for item in data.get("thresholds", []):
                values = {"suggest_at": item["suggest_at"], "apply_at": item["apply_at"]}
                if reset:
                    LabelThreshold.objects.update_or_create(label=item["label"], value=item.get("value", ""),
                                                            defaults=values)
                    n_thr += 1
                else:
                    n_thr += LabelThreshold.objects.get_or_create(label=item["label"], value=item.get("value", ""),
                                                                  defaults=values)[1]
            for item in data.get("rules", []):
                fields = {k: item[k] for k in ("label", "value", "match", "pattern", "effect") if k in item}
                fields.update(segmented=item.get("segmented", False), priority=item.get("priority", 100),
                              note=item.get("note", ""), active=item.get("active", True))
                rule = Rule.objects.filter(name=item["name"]).first()
                if rule is not None and not reset:
                    continue
                rule = rule or Rule(name=item["name"])
                for key, value in fields.items():
                    setattr(rule, key, value)
                rule.save()
                n_rules += 1
        self.stdout.write(f"筛查默认值：新增或更新阈值{n_thr}条，规则{n_rules}条。")
