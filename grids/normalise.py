"""Cleaning what street offices write in roster sheets: ID numbers, phones, buildings, units.

Each function returns the clean value, or raises ValueError with a reason in Chinese.
"""

import re

from django.utils.translation import gettext as _

from .choices import Gender

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
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


def id_number(text):
    """An 18-character resident ID number (GB 11643) with a valid check digit, X upper-case."""
    value = text.replace(" ", "").upper()
    if not value:
        return ""
    if len(value) == 15 and value.isdigit():
        raise ValueError(_("15位旧身份证号无法校验，请填写18位身份证号。"))
    if not ID_RE.match(value):
        raise ValueError(_("身份证号“{value}”应为18位（最后一位可为X）。").format(value=value))
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK_CHARS[total % 11] != value[17]:
        raise ValueError(_("身份证号“{value}”校验位不正确，请核对。").format(value=value))
    month, day = int(value[10:12]), int(value[12:14])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(_("身份证号“{value}”中的出生日期无效。").format(value=value))
    return value


def gender_from_id(value):
    return Gender.MALE if int(value[16]) % 2 else Gender.FEMALE


def phone(text):
    """An 11-digit mainland mobile number, or a landline with its area code (0431-88881234)."""
    value = re.sub(r"[\s()（）]", "", text)
    if not value:
        return ""
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    compact = value.replace("-", "")
    if MOBILE_RE.match(compact):
        return compact
    if LANDLINE_RE.match(value):
        return value
    raise ValueError(_("联系电话“{value}”应为11位手机号或带区号的固定电话。").format(value=text))


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
