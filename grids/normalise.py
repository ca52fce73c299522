"""Cleaning what street offices write in roster sheets: buildings and units here; ID numbers and
phones are every app's (core.identity).

Each function returns the clean value, or raises ValueError with a reason in Chinese.
"""

import re

from core.identity import gender_from_id, id_number, phone  # noqa: F401  (the roster's cleaning too)

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
BUILDING_RE = re.compile(r"^(?:第)?([0-9一二两三四五六七八九十百零〇]+)(?:号楼|号栋|栋|幢|号|座|楼)?$")
UNIT_RE = re.compile(r"^(?:第)?([0-9一二两三四五六七八九十零〇]+)(?:单元|门|号)?$")


def _number(text):
    if text.isdigit():
        return int(text)
    # Chinese numerals up to 999: 十二, 二十, 一百零五
    total, current = 0, 0
    for char in text:
        if char in CHINESE_DIGITS:
            current = CHINESE_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(char)
    return total + current


def building_number(text):
    """1栋, 1号楼, 01, 一栋, 1幢 → 1; None when the text is not a numbered building (A座)."""
    match = BUILDING_RE.match(text.replace(" ", ""))
    if not match:
        return None
    number = _number(match.group(1))
    return number if 0 < number < 1000 else None


def unit_number(text):
    """1单元, 01, 一单元 → 1; None when the text is not a numbered unit."""
    match = UNIT_RE.match(text.replace(" ", ""))
    if not match:
        return None
    number = _number(match.group(1))
    return number if 0 < number < 100 else None
