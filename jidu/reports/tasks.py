"""Background generation (django-tasks) and the callables the periodic jobs name."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from jidu.reports import services
from jidu.reports.models import Report


@task()
def generate_report_task(report_id: int) -> dict:
    """Generate a queued report (the archive page's form enqueues this)."""
    report = services.run(Report.objects.get(pk=report_id))
    return {"status": report.status, "seconds": report.seconds, "error": report.error}


def daily_report() -> str:
    """Yesterday's 民情日报 (periodic job, 07:30). Skips a day that already has one."""
    return services.scheduled("daily", timezone.localdate() - dt.timedelta(days=1))


def monthly_report() -> str:
    """Last month's 民情月报 (periodic job, on the 1st). Skips a month that already has one."""
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return services.scheduled("monthly", last_month.replace(day=1))
