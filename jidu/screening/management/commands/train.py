from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jidu.screening import engine, training
from jidu.screening.management.commands._data import add_data_arguments, load_examples
from jidu.screening.models import ModelVersion


class Command(BaseCommand):
    help = "训练筛查模型：数据库中的人工确认和/或共享格式的标注文件；写出带版本号的模型文件并登记模型版本。"

    def add_arguments(self, parser):
        add_data_arguments(parser)
        parser.add_argument("--shared-data", help="按 ../shared/data 结构组织的数据目录：用 ML 包的完整训练流程")
        parser.add_argument("--out", default=None, help="模型文件目录（默认 JIDU_DATA_DIR/models）")
        parser.add_argument("--model-version", dest="model_version", default=None, help="版本号（默认 trained-年月日时分秒）")
        parser.add_argument("--activate", action="store_true", help="训练后设为当前使用的模型")

    def handle(self, *args, **o):
        version = o["model_version"] or f"trained-{timezone.localtime():%Y%m%d%H%M%S}"
        if o["shared_data"]:
            if o["from_db"] or o["taidi"] or o["enforcement"]:
                raise CommandError("--shared-data 不能与 --from-db/--taidi/--enforcement 同时使用")
            counts = {str(o["shared_data"]): 0}
            data = f"ML 包完整训练流程：{o['shared_data']}"
            screener = training.train_from_shared_data(o["shared_data"], version, log=self.stdout.write)
            n_examples = None
        else:
            examples, counts = load_examples(o)
            data = "；".join(f"{k}：{v}条" for k, v in counts.items())
            self.stdout.write(f"训练数据 {len(examples)} 条（{data}）……")
            screener = training.train(examples, version, data)
            n_examples = len(examples)
        out = Path(o["out"] or Path(settings.DATA_DIR) / "models")
        path = out / f"screening-{version}.joblib"
        screener.save(path)
        with transaction.atomic():
            mv, _ = ModelVersion.objects.update_or_create(
                version=version, defaults={"path": str(path), "data": data, "trained_at": timezone.now(),
                                           "metrics": {"examples": n_examples, "sources": counts}})
            if o["activate"]:
                ModelVersion.objects.exclude(pk=mv.pk).update(active=False)
                ModelVersion.objects.filter(pk=mv.pk).update(active=True)
        engine.reset_screener_cache()
        size = path.stat().st_size / 1024 / 1024
        self.stdout.write(self.style.SUCCESS(
            f"模型 {version} 已写入 {path}（{size:.1f} MB）{'，并已启用' if o['activate'] else ''}。"))
