"""Masking of personal data for display and export (138****5678, 张*)."""

import re


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    if len(digits) >= 7:
        return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]
    return "*" * len(digits)


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    number = number.strip()
    if len(number) >= 15:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    return "*" * len(number)


_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{3})(\d{11})(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_text(text: str | None) -> str:
    """Mask mobile and ID numbers that callers wrote inside free text."""
    if not text:
        return text or ""
    text = _ID_RE.sub(lambda m: m.group(1) + "*" * 11 + m.group(3), text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
