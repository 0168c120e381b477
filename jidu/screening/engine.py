"""The one seam between the screening app and whatever model produces predictions.

Services never touch a model directly: they ask :func:`get_screener` for an object with
``version`` and ``screen_many([(title, content), …])`` and pass each result through
:func:`adapt`, which turns it into a :class:`Prediction` whatever its exact shape — the ML
package's ``ScreeningResult`` (``jidu.screening.ml.classifier``), a ``dict`` from its
``to_dict()``, or the small scikit-learn screener of :mod:`jidu.screening.training`.

Which model is used: the active :class:`~jidu.screening.models.ModelVersion` if there is one, else
the artifact the ML package ships (registered as a ModelVersion on first use). With neither,
screening still runs rules and marks orders for re-screening.
"""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass, is_dataclass
from dataclasses import field as dc_field
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass
class Prediction:
    """A model's view of one order. Binary scores are P(yes); others are P(value)."""

    enforcement: bool | None = None
    enforcement_score: float | None = None
    kind: str | None = None
    kind_score: float | None = None
    field: str | None = None
    field_score: float | None = None
    field_top: list[tuple[str, float]] = dc_field(default_factory=list)
    problems: list[tuple[str, float]] = dc_field(default_factory=list)
    tourism: bool | None = None
    tourism_score: float | None = None
    too_short: bool = False
    explanation: str = ""


def _get(obj, *names, default=None):
    for name in names:
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return default


def _pairs(items) -> list[tuple[str, float]]:
    if not items:
        return []
    out = []
    for item in items:
        if type(item) is tuple and len(item) == 2 and item[0]:  # the ML screener's (label, score)
            out.append((str(item[0]), float(item[1]) if item[1] is not None else 1.0))
            continue
        if isinstance(item, dict):
            name, score = _get(item, "label", "name", "value"), _get(item, "score", "prob", default=None)
        elif isinstance(item, (list, tuple)) and len(item) >= 2:
            name, score = item[0], item[1]
        else:
            name, score = item, None
        if name:
            out.append((str(name), float(score) if score is not None else 1.0))
    return out


def _p_yes(flag, score, threshold: float = 0.5) -> float | None:
    """Binary score as P(yes): accept either P(yes) or the confidence of the predicted side.
    ``threshold``: the screener's yes/no cut on P(yes) (the ML screener reports its own,
    ``enforcement_threshold``), so that a "yes" at P(yes) 0.45 under a 0.43 cut is read as P(yes)."""
    if score is None:
        return None if flag is None else (1.0 if flag else 0.0)
    score = float(score)
    if flag is None:
        return score
    return score if bool(flag) == (score >= threshold) else 1.0 - score


def adapt(result) -> Prediction:
    """Turn any screener's result into a Prediction (tolerant of the ML API's field names)."""
    if isinstance(result, Prediction):
        return result
    # A dataclass (the ML package's ScreeningResult) is read attribute by attribute: its to_dict()
    # deep-copies every field (evidence, extras) for the few read here, about 0.3 s per 5,000
    # results on a bulk import; the values read are the same.
    if hasattr(result, "to_dict") and not isinstance(result, dict) and not is_dataclass(result):
        try:
            result = result.to_dict()
        except Exception:  # fall back to attribute access
            pass
    enforcement = _get(result, "enforcement", "is_enforcement")
    tourism = _get(result, "tourism", "is_tourism")
    kind = _get(result, "kind") or None
    field_name = _get(result, "field", "field_label") or None
    return Prediction(
        enforcement=None if enforcement is None else bool(enforcement),
        enforcement_score=_p_yes(enforcement, _get(result, "enforcement_score", "enforcement_prob"),
                                 float(_get(result, "enforcement_threshold", default=None) or 0.5)),
        kind=kind,
        kind_score=_get(result, "kind_score", "kind_prob"),
        field=field_name,
        field_score=_get(result, "field_score", "field_prob"),
        field_top=_pairs(_get(result, "field_top", "field_top3", "fields", default=[])),
        problems=_pairs(_get(result, "problems", "problem_scores", default=[])),
        tourism=None if tourism is None else bool(tourism),
        tourism_score=_p_yes(tourism, _get(result, "tourism_score", "tourism_prob")),
        too_short=bool(_get(result, "too_short", default=False)),
        explanation=str(_get(result, "explanation", default="") or ""),
    )


# ---- which screener ----------------------------------------------------------------------------
_CACHE: dict[str, object] = {}
_LOCK = threading.Lock()


def reset_screener_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def load_artifact(path: str | Path):
    """Load a screener from an artifact file: ours (joblib, see training.py) or the ML package's."""
    path = Path(path)
    from jidu.screening import training

    if training.is_own_artifact(path):
        return training.SklearnScreener.load(path)
    from jidu.screening.ml.classifier import Screener  # noqa: PLC0415 (optional dependency)

    return Screener.load(path)


def _shipped():
    try:
        from jidu.screening.ml.classifier import Screener
    except ImportError:
        return None
    try:
        return Screener.load()
    except Exception:  # artifact missing or unreadable
        log.warning("the shipped screening model could not be loaded", exc_info=True)
        return None


def get_screener():
    """The screener to use now, or None when no model is available (rules still run)."""
    from jidu.screening.models import ModelVersion

    active = ModelVersion.objects.filter(active=True).order_by("-trained_at").first()
    key = f"mv:{active.pk}:{active.path}" if active else "shipped"
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    screener = None
    if active is not None:
        try:
            screener = load_artifact(active.path)
        except Exception:
            log.exception("model version %s (%s) could not be loaded", active.version, active.path)
    if screener is None:
        screener = _shipped()
    with _LOCK:
        if screener is not None or key == "shipped":
            _CACHE[key] = screener
    if screener is not None:
        _freeze_heap()
    return screener


def _freeze_heap() -> None:
    """Once per process, after the first model load: move everything alive now (Django, the model)
    out of the cyclic garbage collector's reach. Without it every full collection during a bulk
    import walks those ~200,000 objects again: about a tenth of the time of screening 5,000
    orders (benchmarks/intake.py) went there. Objects freed by reference counting are unaffected;
    only reference cycles among frozen objects would never be collected."""
    global _FROZEN
    if _FROZEN:
        return
    _FROZEN = True
    from jidu.screening import entities

    entities.warm_up()  # what else screening loads once (the place list), frozen with the model
    gc.collect()
    gc.freeze()


_FROZEN = False


def model_version_for(screener):
    """The ModelVersion row for a screener (created on first use; the shipped model is recorded)."""
    from jidu.screening.models import ModelVersion

    if screener is None:
        return None
    version = str(getattr(screener, "version", "") or type(screener).__name__)[:60]
    path = str(getattr(screener, "path", "") or getattr(screener, "artifact_path", "") or "")
    metadata = getattr(screener, "metadata", None)
    if not path:
        try:
            from jidu.screening.ml.classifier import DEFAULT_ARTIFACT

            path = str(DEFAULT_ARTIFACT) if type(screener).__name__ == "Screener" else ""
        except ImportError:
            pass
    defaults = {"path": path[:500]}
    if isinstance(metadata, dict) and metadata:
        defaults["metrics"] = metadata.get("figures") or metadata.get("metrics") or {}
        defaults["data"] = str(metadata.get("data", ""))[:2000]
    mv, _ = ModelVersion.objects.get_or_create(version=version, defaults=defaults)
    return mv


def predict_many(screener, pairs: list[tuple[str, str]]) -> list[Prediction | None]:
    """Predictions for (title, content) pairs; None for an item the model failed on."""
    if screener is None or not pairs:
        return [None] * len(pairs)
    try:
        return [adapt(r) for r in screener.screen_many(pairs)]
    except Exception:
        log.exception("screen_many failed for %d orders; retrying one by one", len(pairs))
    out: list[Prediction | None] = []
    for pair in pairs:
        try:
            out.append(adapt(screener.screen_many([pair])[0]))
        except Exception:
            log.exception("screening one order failed")
            out.append(None)
    return out


def text_too_short(title: str | None, content: str | None) -> bool:
    """Too little text to judge (the ML package's definition when present)."""
    try:
        from jidu.screening.ml.text import too_short_parts
    except ImportError:  # pragma: no cover
        return len((content or "").strip()) + len((title or "").strip()) < 5
    return too_short_parts(title, content)


__all__ = ["Prediction", "adapt", "get_screener", "load_artifact", "model_version_for", "predict_many",
           "reset_screener_cache", "text_too_short"]
