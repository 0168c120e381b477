"""Screening model of Jidu (pure Python, no Django): text normalisation, classifier,
entity extraction. See docs/MODEL_CARD.md."""

from .classifier import Screener, ScreeningResult  # noqa: F401
