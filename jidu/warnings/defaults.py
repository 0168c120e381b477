"""The defaults file of the detectors (``data/detectors.json``)."""

from pathlib import Path

from jidu.core.datafiles import read_json

DATA = Path(__file__).resolve().parent / "data" / "detectors.json"


def default_detectors(path=None) -> list[dict]:
    return read_json(path or DATA, "预警检测器配置文件").get("detectors", [])
