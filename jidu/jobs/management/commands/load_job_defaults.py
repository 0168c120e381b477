import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.jobs.models import PeriodicJob
from jidu.jobs.schedule import first_run

DATA = Path(__file__).resolve().parents[2] / "data" / "periodic_jobs.json"
FIELDS = ["name", "kind", "target", "arguments", "schedule", "every_seconds", "daily_at", "working_days_only",
          "enqueue", "atomic", "lease_seconds", "enabled"]


def job_values(item: dict) -> dict:
    values = {k: item[k] for k in FIELDS if k in item}
    if values.get("daily_at"):
        try:
            values["daily_at"] = dt.time.fromisoformat(values["daily_at"])
        except ValueError:
            raise CommandError(f"定时作业 {item.get('code')} 的 daily_at 不是 HH:MM 格式：{item['daily_at']}") from None
    if values.get("kind", "callable") not in PeriodicJob.Kind.values:
        raise CommandError(f"定时作业 {item.get('code')} 的 kind 只能是 callable 或 command")
    if values.get("schedule", "interval") not in PeriodicJob.Schedule.values:
        raise CommandError(f"定时作业 {item.get('code')} 的 schedule 只能是 interval 或 daily")
    return values


class Command(BaseCommand):
    help = "载入默认定时作业（派单争议扫描、消息投递、民情日报、模型重训）。已有的不覆盖，除非指定 --reset。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))
        parser.add_argument("--reset", action="store_true", help="按默认值覆盖已有的同代码作业")

    def handle(self, *args, file, reset, **options):
        data = read_json(file, "定时作业配置文件")
        created = updated = 0
        with transaction.atomic():
            for item in data.get("jobs", []):
                if not item.get("code") or not item.get("target"):
                    raise CommandError(f"定时作业缺少 code 或 target：{item}")
                values = job_values(item)
                job = PeriodicJob.objects.filter(code=item["code"]).first()
                if job is not None and not reset:
                    continue  # an administrator's edits win
                job = job or PeriodicJob(code=item["code"])
                # --reset: what the file leaves out goes back to the model's default too.
                values = {**{f: PeriodicJob._meta.get_field(f).get_default() for f in FIELDS}, **values}
                for key, value in values.items():
                    setattr(job, key, value)
                job.next_run_at = first_run(job) if job.enabled else None
                created += job.pk is None
                updated += job.pk is not None
                job.save()
        self.stdout.write(f"定时作业默认配置：新增 {created} 个" + (f"，重置 {updated} 个" if updated else "") + "。")
