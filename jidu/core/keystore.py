"""Local key files for a single-machine installation (used when no key is set in the environment)."""

import os
import secrets
from pathlib import Path


def local_secret(data_dir: Path, name: str, *, factory=None) -> str:
    """Return the secret stored in data_dir/name, creating it (mode 0600) on first use."""
    data_dir = Path(data_dir)
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = factory() if factory else secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value
