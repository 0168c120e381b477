import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.notifications.models import Channel

DATA = Path(__file__).resolve().parents[2] / "data" / "channels.json"
FIELDS = ["name", "kind", "enabled", "default_on", "url", "timeout_seconds", "max_attempts", "kinds", "quiet_start",
          "quiet_end", "working_days_only"]


class Command(BaseCommand):
    help = "载入默认通知渠道（电子邮件，默认停用，配置 SMTP 后在管理后台启用）。已有的不覆盖。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))

    def handle(self, *args, file, **options):
        data = read_json(file, "通知渠道配置文件")
        created = 0
        with transaction.atomic():
            for item in data.get("channels", []):
                values = {k: item[k] for k in FIELDS if k in item}
                if values.get("kind") not in Channel.Kind.values:
                    raise CommandError(f"通知渠道 {item.get('code')} 的 kind 只能是 email 或 webhook")
                for key in ("quiet_start", "quiet_end"):
                    if key in values:
                        try:
                            values[key] = dt.time.fromisoformat(values[key])
                        except ValueError:
                            raise CommandError(f"通知渠道 {item.get('code')} 的 {key} 不是 HH:MM：{values[key]}") from None
                _, new = Channel.objects.get_or_create(code=item["code"], defaults=values)
                created += new
        self.stdout.write(f"通知渠道默认配置：新增 {created} 个。")
