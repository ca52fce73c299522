from django.http import HttpResponseBadRequest


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold NUL bytes: a request carrying one in its path or parameters
    is malformed, and answers 400 instead of failing deep in a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and request.content_type != "multipart/form-data" and _has_nul(request.POST))
        ):
            return HttpResponseBadRequest("请求中含有非法字符。".encode())
        return self.get_response(request)


def _has_nul(query_dict):
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query_dict.lists())
