"""Reading the JSON data files administrators edit (city reference data, defaults, catalogues)."""

import json
from pathlib import Path

from django.core.management.base import CommandError


def read_json(path, what: str = "数据文件"):
    """Parse a JSON file; a missing file or a syntax error is a CommandError naming the file and
    the line and column."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{what}不存在：{path}") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{what} {path} 第{exc.lineno}行第{exc.colno}列 JSON 格式错误：{exc.msg}") from None
