from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.worktime import services
from jidu.worktime.models import CalendarYear, Holiday, TimeLimit

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "从 chinesecalendar 包录入节假日与调休安排，并写入默认办理时限（已存在的记录不覆盖）。"

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="*", type=int,
                            help="要录入的年份（默认：chinesecalendar 已知的最近三年）")

    def handle(self, *args, years=None, **options):
        import chinese_calendar
        from chinese_calendar import constants

        known = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
        years = years or known[-3:]
        for year in years:
            if year not in known:
                raise CommandError(f"chinesecalendar 不含{year}年的节假日安排（已知到{known[-1]}年），请在管理后台手工录入。")
        names = {h.value[0]: h.value[1] for h in chinese_calendar.Holiday}
        created = 0
        with transaction.atomic():
            for year in years:
                rows = []
                for source, kind in ((constants.holidays, Holiday.Kind.HOLIDAY),
                                     (constants.workdays, Holiday.Kind.WORKDAY)):
                    for day, name in source.items():
                        if day.year == year:
                            rows.append(Holiday(date=day, kind=kind, name=names.get(name, name)))
                existing = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
                new = [r for r in rows if r.date not in existing]
                Holiday.objects.bulk_create(new)
                created += len(new)
                CalendarYear.objects.get_or_create(year=year, defaults={"source": "chinesecalendar"})
            for item in read_json(DATA / "time_limits.json", "办理时限文件"):
                TimeLimit.objects.get_or_create(key=item["key"], defaults=item)
        services.invalidate_cache()
        self.stdout.write(f"工作日历：录入年份 {', '.join(map(str, years))}，新增 {created} 条节假日/调休记录。")
