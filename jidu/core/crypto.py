"""Encryption of personal data at rest, and blind indexes for looking it up.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256). Keys come from JIDU_FIELD_KEYS
(newest first; MultiFernet decrypts with any of them, so keys can be rotated), or from a key
file created in the data directory on first use.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

from jidu.core.keystore import local_secret


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, ...]:
    keys = list(settings.JIDU_FIELD_KEYS)
    if not keys:
        keys = [local_secret(settings.DATA_DIR, "field.key", factory=lambda: Fernet.generate_key().decode())]
    return tuple(k.encode() for k in keys)


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


def reset_key_cache() -> None:
    """For tests and key rotation: forget the cached keys."""
    _keys.cache_clear()
    _fernet.cache_clear()


def encrypt(value: str | None) -> str | None:
    if value in (None, ""):
        return value
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str | None) -> str | None:
    if token in (None, ""):
        return token
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: say so, never return ciphertext as if it were data
        raise ValueError("个人信息无法解密：加密密钥不匹配（请检查 JIDU_FIELD_KEYS）") from exc


def blind_index(value: str | None) -> str:
    """A keyed hash for equality look-ups (same phone number) without decrypting."""
    if not value:
        return ""
    digest = hmac.new(_keys()[-1] + b"|index", value.strip().encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. Python side sees plain text; the database only ciphertext."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value)
