"""The API's JSON parser: bounded in size and in nesting depth.

DRF's JSONParser reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE
never applies to it, and Python's json module recurses once per nesting level: a body of
100,000 `[` ends in a RecursionError (a 500). This parser reads at most
`settings.API_MAX_BODY_BYTES`, refuses arrays and objects nested deeper than `MAX_DEPTH`
before parsing, and answers every bad body with a 400 and a message in Chinese.
"""

import re
from itertools import accumulate

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

MAX_DEPTH = 64

# A JSON string, escapes included; possessive, so that a long string never backtracks.
_STRINGS = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]++")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class BoundedJSONParser(JSONParser):
    """JSONParser with a size limit and a depth limit; the default JSON parser of the API."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        limit = settings.API_MAX_BODY_BYTES
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise ParseError(
                _("请求内容超过 {limit} 的上限，无法处理。请减少一次提交的数据量，分批提交。").format(
                    limit=filesizeformat(limit)
                )
            )
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(
                _("请求内容不是有效的 {encoding} 编码文本，请检查提交的数据。").format(encoding=encoding)
            ) from None
        if nests_deeper_than(text, self.max_depth):
            raise ParseError(self.too_deep_message())
        try:
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError:  # cannot happen below MAX_DEPTH; kept as a last guard
            raise ParseError(self.too_deep_message()) from None
        except ValueError as error:
            raise ParseError(_("JSON 格式有误：{error}").format(error=error)) from None

    def too_deep_message(self):
        return _("请求内容中的数组或对象嵌套超过 {depth} 层，无法处理。请检查提交的 JSON 数据。").format(
            depth=self.max_depth
        )


def nests_deeper_than(text, limit):
    """Whether arrays and objects nest more than `limit` levels deep in JSON `text`; brackets
    inside strings do not count.

    Strings and everything but brackets are dropped by the regex engine; the brackets left are
    counted in Python only when there are more openers than `limit`.
    """
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    if brackets.count("[") + brackets.count("{") <= limit:
        return False
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets))) > limit
