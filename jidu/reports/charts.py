"""Charts for the reports: matplotlib (Agg, headless) with a CJK font found on the machine.

The font is looked up among matplotlib's known fonts (Debian's fonts-noto-cjk: "Noto Sans CJK SC");
without one, Chinese labels would be drawn as empty boxes, so :func:`cjk_font` raises instead."""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

PREFERRED = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Droid Sans Fallback", "Noto Sans CJK JP", "Noto Sans CJK TC")


class NoCJKFont(RuntimeError):
    pass


@lru_cache(maxsize=1)
def cjk_font():
    """(family name, file path, font index in a .ttc) of the first installed CJK font."""
    from matplotlib import font_manager

    fonts = {f.name: f for f in font_manager.fontManager.ttflist}
    for name in PREFERRED:
        if name in fonts:
            entry = fonts[name]
            return entry.name, entry.fname, getattr(entry, "index", 0) or 0
    for entry in font_manager.fontManager.ttflist:  # any font whose name says CJK
        if "CJK" in entry.name:
            return entry.name, entry.fname, getattr(entry, "index", 0) or 0
    raise NoCJKFont("未找到中文字体：请安装 fonts-noto-cjk（Debian/Ubuntu: apt-get install fonts-noto-cjk），"
                    "否则图表中的中文会显示为方框。")


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` the chosen CJK font cannot draw (whitespace ignored)."""
    _name, path, index = cjk_font()
    cmap = _cmap(path, index)
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


@lru_cache(maxsize=4)
def _cmap(path: str, index: int) -> set[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True) if path.lower().endswith((".ttc", ".otc")) else TTFont(path, lazy=True)
    return set(font.getBestCmap().keys())


def _figure(width=7.0, height=3.6):
    from matplotlib.figure import Figure

    name, _path, _index = cjk_font()
    fig = Figure(figsize=(width, height), dpi=120)
    matplotlib.rcParams["font.sans-serif"] = [name, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return fig


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")  # fixed margins: one drawing pass (bbox_inches="tight" draws twice)
    return buffer.getvalue()


def bar_chart(title: str, labels: list[str], values: list[float], *, horizontal=True) -> bytes:
    height = max(2.4, 0.32 * len(labels) + 1.0) if horizontal else 3.6
    fig = _figure(7.0, height)
    longest = max((len(label) for label in labels), default=1)
    if horizontal:  # room on the left for the longest Chinese label (about 0.13 inch per character)
        fig.subplots_adjust(left=min(0.5, 0.06 + 0.13 * longest / 7.0), right=0.95, top=1 - 0.45 / height,
                            bottom=0.35 / height)
    else:
        fig.subplots_adjust(left=0.08, right=0.97, top=0.88, bottom=0.3)
    ax = fig.add_subplot()
    if horizontal:
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color="#c0392b")
        ax.set_yticks(positions, labels)
        for y, v in zip(positions, values):
            ax.text(v, y, f" {v:g}", va="center", fontsize=8)
    else:
        ax.bar(range(len(labels)), values, color="#c0392b")
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def line_chart(title: str, labels: list[str], series: dict[str, list[float]]) -> bytes:
    fig = _figure(7.0, 3.2)
    fig.subplots_adjust(left=0.09, right=0.97, top=0.88, bottom=0.14)
    ax = fig.add_subplot()
    for (name, values), colour in zip(series.items(), ["#c0392b", "#7f8c8d", "#2471a3"]):
        ax.plot(range(len(values)), values, marker="o", markersize=3, label=name, color=colour)
    step = max(1, len(labels) // 10)
    ax.set_xticks(range(0, len(labels), step), labels[::step])
    ax.set_title(title)
    ax.set_ylabel("件数")
    ax.legend(loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
