"""Training data for routing advice from the city's own history (issue: "the dispatcher's final
choice is recorded and is training data"), and which routing artifact is active."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from jidu.jurisdiction.models import RoutingChoice
from jidu.orders.models import Status, WorkOrder

HANDLED = [Status.REPLIED, Status.CALLED_BACK, Status.CLOSED, Status.ARCHIVED]


class NotEnoughData(Exception):
    pass


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "models"


def active_pointer() -> Path:
    return models_dir() / "routing_active.json"


def active_artifact() -> Path | None:
    """The artifact an administrator activated, or None for the shipped default."""
    pointer = active_pointer()
    if not pointer.exists():
        return None
    path = Path(json.loads(pointer.read_text(encoding="utf-8"))["path"])
    return path if path.exists() else None


def examples() -> tuple[list[str], list[str], int]:
    """(texts, department names, how many came from dispatchers' choices). A dispatcher's latest
    choice for an order wins over the order's recorded lead department."""
    chosen: dict[int, str] = {}
    for order_id, name in (RoutingChoice.objects.order_by("order_id", "at")
                           .values_list("order_id", "lead_department__name")):
        chosen[order_id] = name  # the latest wins
    texts, labels = [], []
    handled = (WorkOrder.objects.filter(status__in=HANDLED, lead_department__isnull=False)
               .values_list("pk", "title", "content", "lead_department__name"))
    seen = set()
    for pk, title, content, lead in handled.iterator(chunk_size=5000):
        texts.append(f"{title or ''} {content or ''}")
        labels.append(chosen.get(pk, lead))
        seen.add(pk)
    extra = [pk for pk in chosen if pk not in seen]
    for pk, title, content in WorkOrder.objects.filter(pk__in=extra).values_list("pk", "title", "content"):
        texts.append(f"{title or ''} {content or ''}")
        labels.append(chosen[pk])
    return texts, labels, len(chosen)


def _is_test(text: str, share: float) -> bool:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % 1000 < share * 1000


def train_from_history(*, min_per_department: int = 10, test_share: float = 0.2, activate: bool = False) -> dict:
    from jidu.jurisdiction.routing_ml import RoutingModel, topk_accuracy

    texts, labels, n_choices = examples()
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    keep = {d for d, n in counts.items() if n >= min_per_department}
    pairs = [(t, d) for t, d in zip(texts, labels) if d in keep]
    if len(keep) < 2:
        raise NotEnoughData(f"可用于训练的部门不足两个（每个部门至少{min_per_department}件已办结工单或派单选择）")
    train = [(t, d) for t, d in pairs if not _is_test(t, test_share)]
    test = [(t, d) for t, d in pairs if _is_test(t, test_share)]
    model = RoutingModel().fit([t for t, _ in train], [d for _, d in train])
    if test:
        predictions = model.predict_many([t for t, _ in test], k=3)
        top1, top3 = topk_accuracy(predictions, [d for _, d in test], 1), topk_accuracy(predictions, [d for _, d in test], 3)
    else:
        top1 = top3 = 0.0
    path = models_dir() / f"{model.version}.pkl.gz"
    model.save(path, metadata={"trained_at": timezone.now().isoformat(), "source": "history",
                               "train": len(train), "test": len(test), "top1": top1, "top3": top3,
                               "departments": sorted(keep), "choices": n_choices})
    if activate:
        active_pointer().write_text(json.dumps({"path": str(path), "version": model.version,
                                                "activated_at": timezone.now().isoformat()}), encoding="utf-8")
        from jidu.jurisdiction.services import advice

        advice.reset_model()
    return {"train": len(train), "test": len(test), "departments": len(keep), "choices": n_choices,
            "top1": top1, "top3": top3, "path": str(path)}
