import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jidu.intake.importing import run_import, write_issue_report
from jidu.intake.models import ImportBatch
from jidu.orders.models import Source


class Command(BaseCommand):
    help = "从 CSV 或 Excel（.xlsx）文件导入工单。按工单编号幂等：重复导入只更新，不会重复。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="CSV 或 .xlsx 文件")
        parser.add_argument("--source", default="12345", help="工单来源代码（默认 12345）")
        parser.add_argument("--report", help="把逐行问题报告写入此 .xlsx 文件")

    def handle(self, *args, paths, source, report=None, **options):
        try:
            src = Source.objects.get(code=source)
        except Source.DoesNotExist:
            raise CommandError(f"未知的工单来源“{source}”。请先运行 load_reference 或在管理后台添加来源。") from None
        failed = False
        for raw_path in paths:
            path = Path(raw_path)
            if not path.is_file():
                raise CommandError(f"文件不存在：{path}")
            batch = ImportBatch.objects.create(source=src, kind=ImportBatch.Kind.FILE, filename=path.name,
                                               actor_label=f"命令行导入：{path.name}")
            batch = run_import(batch, path)
            self.stdout.write(
                f"{path.name}：{batch.get_state_display()}；读取{batch.rows_total}行，新增{batch.created}，"
                f"更新{batch.updated}，无变化{batch.unchanged}，旧版本跳过{batch.stale}，错误{batch.errors}行，"
                f"提示{batch.warnings}条。{batch.message}"
            )
            for issue in batch.issues.filter(level="error")[:20]:
                self.stdout.write(f"  第{issue.row or '-'}行 [{issue.column}] {issue.value[:40]}：{issue.reason}")
            if report:
                with open(report, "wb") as fh:
                    write_issue_report(batch, fh)
                self.stdout.write(f"逐行问题报告：{report}")
            failed |= batch.state == ImportBatch.State.FAILED
        if failed:
            sys.exit(1)
