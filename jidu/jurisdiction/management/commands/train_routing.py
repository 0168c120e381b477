"""Retrain the routing model from this city's own history: which department finally handled each
order (its lead department once it was answered or closed), with the dispatchers' recorded
choices taking precedence. The new artifact goes to JIDU_DATA_DIR/models/ and, with --activate,
advice uses it from then on (in every process, at its next start or after `advice.reset_model()`).
"""

from django.core.management.base import BaseCommand, CommandError

from jidu.jurisdiction.services import routing_training


class Command(BaseCommand):
    help = "用本市历史工单（最终承办部门）和派单员的选择重新训练派单建议模型。"

    def add_arguments(self, parser):
        parser.add_argument("--min-per-department", type=int, default=10,
                            help="每个部门至少多少件样本才参与训练（默认10）")
        parser.add_argument("--test-share", type=float, default=0.2, help="留作评估的比例（默认0.2）")
        parser.add_argument("--activate", action="store_true", help="训练后立即启用新模型")

    def handle(self, *args, min_per_department, test_share, activate, **options):
        try:
            report = routing_training.train_from_history(min_per_department=min_per_department,
                                                         test_share=test_share, activate=activate)
        except routing_training.NotEnoughData as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"训练样本 {report['train']} 件、评估 {report['test']} 件、部门 {report['departments']} 个"
            f"（其中派单员选择 {report['choices']} 件）。评估：top-1 {report['top1']:.1%}，"
            f"top-3 {report['top3']:.1%}。模型文件：{report['path']}"
            + ("；已启用。" if activate else "；未启用（加 --activate 启用）。"))
