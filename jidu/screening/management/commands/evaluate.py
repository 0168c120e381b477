from django.core.management.base import BaseCommand, CommandError

from jidu.screening import engine, training
from jidu.screening.management.commands._data import add_data_arguments, load_examples
from jidu.screening.models import ModelVersion

NAMES = {"enforcement": "涉行政执法", "kind": "类别", "field": "执法领域", "tourism": "涉旅", "problem": "问题类型"}


class Command(BaseCommand):
    help = "在给定的标注数据上评估筛查模型：逐标签的精确率、召回率、F1 与混淆矩阵。"

    def add_arguments(self, parser):
        add_data_arguments(parser)
        parser.add_argument("--model", help="模型文件路径（默认当前使用的模型）")
        parser.add_argument("--model-version", help="已登记的模型版本号")

    def handle(self, *args, **o):
        examples, counts = load_examples(o)
        if o["model"]:
            screener = engine.load_artifact(o["model"])
        elif o["model_version"]:
            mv = ModelVersion.objects.filter(version=o["model_version"]).first()
            if mv is None:
                raise CommandError(f"没有版本为 {o['model_version']} 的模型")
            screener = engine.load_artifact(mv.path)
        else:
            screener = engine.get_screener()
        if screener is None:
            raise CommandError("没有可用的模型：请用 --model 指定，或先运行 train --activate")
        self.stdout.write(f"模型 {getattr(screener, 'version', '?')}，评估数据 {len(examples)} 条")
        report = training.evaluate(screener, examples)
        for name, part in report.items():
            self.stdout.write(f"\n== {NAMES.get(name, name)}（{part['n']}条）==")
            self.stdout.write(f"{'取值':<14}{'精确率':>8}{'召回率':>8}{'F1':>8}{'样本':>6}")
            for label, m in part["per_label"].items():
                self.stdout.write(f"{label:<14}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>6}")
            if "macro_f1" in part:
                self.stdout.write(f"宏平均F1 {part['macro_f1']:.3f}")
            if "confusion" in part:
                labels = part["labels"]
                self.stdout.write("混淆矩阵（行=标注，列=预测）：")
                self.stdout.write(" " * 14 + "".join(f"{lab[:6]:>8}" for lab in labels))
                for lab, row in zip(labels, part["confusion"], strict=True):
                    self.stdout.write(f"{lab[:12]:<14}" + "".join(f"{v:>8}" for v in row))
