from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.directives.models import DirectiveRule, DirectiveSetting, Kind, Trigger
from jidu.worktime import services as worktime
from jidu.worktime.models import TimeLimit

DATA = Path(__file__).resolve().parents[2] / "data"
RULE_FIELDS = ["name", "trigger", "parameters", "kind", "level", "reply_limit_key", "document_type", "requirement",
               "active", "note"]


class Command(BaseCommand):
    help = "载入协查督办的默认建议规则、回复时限与催办升级设置（已存在的不覆盖管理员的修改）。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA / "rules.json"), help="督办规则 JSON 文件")

    def handle(self, *args, file, **options):
        data = read_json(file, "督办规则文件")
        created = 0
        with transaction.atomic():
            for item in data.get("time_limits", []):
                TimeLimit.objects.get_or_create(key=item["key"], defaults=item)
            if data.get("settings") and not DirectiveSetting.objects.filter(pk=1).exists():
                DirectiveSetting.objects.create(pk=1, **data["settings"])
            for item in data.get("rules", []):
                if item.get("trigger") not in Trigger.values:
                    raise CommandError(f"督办规则 {item.get('code')} 的触发条件“{item.get('trigger')}”不存在，"
                                       f"可选：{'、'.join(Trigger.values)}")
                if item.get("kind") not in Kind.values:
                    raise CommandError(f"督办规则 {item.get('code')} 的督办类型“{item.get('kind')}”不存在")
                _, made = DirectiveRule.objects.get_or_create(
                    code=item["code"], defaults={k: item[k] for k in RULE_FIELDS if k in item})
                created += made
        worktime.invalidate_cache()
        self.stdout.write(f"协查督办：新增建议规则 {created} 条（共 {DirectiveRule.objects.count()} 条）。")
