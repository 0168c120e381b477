import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jidu.reports import services


class Command(BaseCommand):
    help = ("生成分析报告：daily（民情日报，--date 为当日，默认昨天）、monthly（民情月报，--date 所在月份，默认上月）、"
            "topic（研判报告，--date 起 --end 止，按 --theme/--field/--problem/--business/--area/--department/--tourism 限定）。"
            "同一类型、期间和范围再次生成时产生新版本，旧版本保留。")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["daily", "monthly", "topic"])
        parser.add_argument("--date", help="YYYY-MM-DD（月报可用 YYYY-MM）")
        parser.add_argument("--end", help="研判报告截止日期 YYYY-MM-DD（含当日），默认起始日所在月末")
        for name, text in (("theme", "主题"), ("field", "执法领域（代码或名称）"), ("problem", "问题类型（代码或名称）"),
                           ("business", "经营主体名称或统一社会信用代码"), ("area", "区域（代码或名称）"),
                           ("department", "承办单位（代码或名称）")):
            parser.add_argument(f"--{name}", default="", help=text)
        parser.add_argument("--tourism", action="store_true", help="只看涉旅工单")

    def handle(self, *args, kind, date, end, **options):
        today = timezone.localdate()
        try:
            if date:
                start = dt.date.fromisoformat(date + "-01" if len(date) == 7 else date)
            elif kind == "monthly":
                start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
            else:
                start = today - dt.timedelta(days=1)
            end_date = dt.date.fromisoformat(end) if end else None
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD（月报可用 YYYY-MM）") from None
        params = {k: options[k] for k in ("theme", "field", "problem", "business", "area", "department") if options[k]}
        if options["tourism"]:
            params["tourism"] = True
        if kind != "topic" and params:
            raise CommandError("--theme 等范围参数只用于 topic 研判报告")
        if end_date:
            params["period_end"] = end_date
        try:
            report = services.generate_report(kind, start, by_label="管理命令", **params)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已生成：{report.title}（第{report.version}版，{report.seconds}秒）\n"
                          f"  Word：{report.docx.path}\n  Excel：{report.xlsx.path}")
