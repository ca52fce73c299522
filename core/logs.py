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


def configure_structlog():
    """structlog's events (django-structlog's request lines) handed to the standard logging, whose
    handlers format them: as JSON with LOG_JSON (`RedactingJSONFormatter`). Called once, from
    core's AppConfig.ready()."""
    import structlog

    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.stdlib.add_logger_name,
            structlog.stdlib.add_log_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


class RedactingJSONFormatter(logging.Formatter):
    """One JSON object a line (LOG_JSON): structlog's events with their fields, and every other
    logger's lines (`extra` fields included) with the request's id and user bound by
    django-structlog; ID and phone numbers masked in the whole line, as `RedactingFormatter` does."""

    def __init__(self, *args, **kwargs):
        import structlog

        super().__init__()
        self._inner = structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(ensure_ascii=False, default=str),
            ],
            foreign_pre_chain=[
                structlog.contextvars.merge_contextvars,
                structlog.processors.TimeStamper(fmt="iso"),
                structlog.stdlib.add_logger_name,
                structlog.stdlib.add_log_level,
                structlog.stdlib.ExtraAdder(),
                structlog.processors.format_exc_info,
            ],
        )

    def format(self, record):
        return redact(self._inner.format(record))
