"""Shared arguments of the train and evaluate commands: where labelled examples come from."""

from django.core.management.base import CommandError

from jidu.screening import training


def add_data_arguments(parser):
    parser.add_argument("--from-db", action="store_true", help="数据库中人工确认过的工单（人工修正）")
    parser.add_argument("--taidi", action="append", default=[], help="taidi2020c CSV（train_raw.csv 等），可重复")
    parser.add_argument("--enforcement", action="append", default=[],
                        help="enforcement-labels CSV（如 dev_300.csv，同目录下 .labels.jsonl 为标注），可重复")
    parser.add_argument("--enforcement-labels", help="标注 JSONL 的路径（默认与 CSV 同名 .labels.jsonl）")


def load_examples(o) -> tuple[list[training.Example], dict[str, int]]:
    examples: list[training.Example] = []
    counts: dict[str, int] = {}
    try:
        if o["from_db"]:
            part = training.examples_from_db()
            counts["数据库人工确认"] = len(part)
            examples += part
        for path in o["taidi"]:
            part = training.examples_from_taidi(path)
            counts[str(path)] = len(part)
            examples += part
        for path in o["enforcement"]:
            part = training.examples_from_enforcement(path, o.get("enforcement_labels"))
            counts[str(path)] = len(part)
            examples += part
    except FileNotFoundError as exc:
        raise CommandError(f"文件不存在：{exc.filename}") from None
    if not (o["from_db"] or o["taidi"] or o["enforcement"]):
        raise CommandError("请指定数据：--from-db、--taidi 或 --enforcement")
    if not examples:
        raise CommandError("没有可用的标注数据")
    return examples, counts
