"""Who a person is, as every app records people (the roster's heads, party members, in-service
members): an ID number (GB 11643) recognises the same person across apps, a phone reaches them;
and who an organisation is (a property company, a unit): its 统一社会信用代码 (GB 32100).

Each function returns the clean value, or raises ValueError with a reason in Chinese.
"""

import datetime
import re
from operator import mul

from django.utils.translation import gettext as _

from .choices import Gender

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
# GB 32100-2015: the characters a credit code is written with (no I, O, S, V, Z) and the weights
# of its first 17; the 18th is the check character.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_character(body17):
    """The GB 11643 check character of an ID number's first 17 digits."""
    if len(body17) != 17:
        raise ValueError(body17)
    return ID_CHECK_CHARS[sum(map(mul, map(int, body17), ID_WEIGHTS)) % 11]


def with_check_character(body17):
    """`body17` completed into a valid ID number (demo data, benchmarks, tests)."""
    return body17 + check_character(body17)


def id_number(text):
    """An 18-character resident ID number (GB 11643) with a valid check digit, X upper-case."""
    value = text.replace(" ", "").upper()
    if not value:
        return ""
    if len(value) == 15 and value.isdigit():
        raise ValueError(_("15位旧身份证号无法校验，请填写18位身份证号。"))
    if not ID_RE.match(value):
        raise ValueError(_("身份证号“{value}”应为18位（最后一位可为X）。").format(value=value))
    if check_character(value[:17]) != value[17]:
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


def birth_date_from_id(value):
    """The birth date an ID number holds, or None when it holds no valid date."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def credit_check_character(body17):
    """The GB 32100 check character of a credit code's first 17 characters."""
    total = sum(CREDIT_CHARS.index(char) * weight for char, weight in zip(body17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[-total % 31]


def with_credit_check_character(body17):
    """`body17` completed into a valid credit code (demo data, benchmarks, tests)."""
    return body17 + credit_check_character(body17)


def credit_code(text):
    """An 18-character 统一社会信用代码 (GB 32100) with a valid check character, upper-case."""
    value = re.sub(r"\s", "", text).upper()
    if not value:
        return ""
    if len(value) != 18:
        raise ValueError(_("统一社会信用代码“{value}”应为18位，现为{n}位。").format(value=value, n=len(value)))
    if not CREDIT_RE.match(value):
        raise ValueError(
            _(
                "统一社会信用代码“{value}”含有不允许的字符（只能是数字和除I、O、S、V、Z外的大写字母，第3至8位为行政区划码）。"
            ).format(value=value)
        )
    expected = credit_check_character(value[:17])
    if value[17] != expected:
        raise ValueError(
            _("统一社会信用代码“{value}”校验位不正确（第18位应为“{expected}”），请核对。").format(
                value=value, expected=expected
            )
        )
    return value
