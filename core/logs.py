"""Logs never hold personal data (DESIGN §4): whatever a message or a traceback carries — a
database error's detail naming a duplicate key, a value in an exception — ID numbers and phone
numbers are masked (core.personal_data.mask) before a line is written. `settings.LOGGING` formats
every handler with `RedactingFormatter`."""

import logging
import re

from .personal_data import mask

# An 18-character ID number (or a 15-digit old one), an 11-digit mobile, a landline with its area
# code; not inside a longer run of digits (an area code of 20 digits, a timestamp).
PERSONAL = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9}|0\d{2,3}-\d{7,8})(?![0-9A-Za-z])")


def redact(text):
    """`text` with every ID or phone number in it masked."""
    return PERSONAL.sub(lambda match: mask(match.group(0)), text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose every line, traceback included, has its ID and phone numbers masked."""

    def format(self, record):
        return redact(super().format(record))
