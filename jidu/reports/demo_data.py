"""Demo material: yesterday's 民情日报 and last month's 民情月报 (idempotent: a period that already
has a finished report is not generated again)."""

from jidu.reports import tasks


def populate(stdout) -> None:
    from django.core.management import call_command

    from jidu.reports.models import ReportTemplate

    if not ReportTemplate.objects.exists():
        call_command("load_report_defaults", stdout=stdout)
    for name, job in (("民情日报", tasks.daily_report), ("民情月报", tasks.monthly_report)):
        stdout.write(f"{name}：{job()}\n")  # the job's summary says how long it took
