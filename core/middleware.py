from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import check_for_language


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold NUL bytes: a request carrying one in its path or parameters
    is malformed, and answers 400 instead of failing deep in a query (in JSON under /api/, as the
    schema documents every 400 of the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and request.content_type != "multipart/form-data" and _has_nul(request.POST))
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "请求中含有非法字符。"}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponseBadRequest("请求中含有非法字符。".encode())
        return self.get_response(request)


def _has_nul(query_dict):
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query_dict.lists())


class NeverStoreMiddleware:
    """Cache-Control: no-store on every response of the portal's own views: pages of a
    logged-in user, the API and exports all carry personal data (names, masked or whole phone
    and ID numbers), which no browser cache or proxy may keep. Static files never get here:
    whitenoise answers them earlier with its own long-lived caching headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class ChineseByDefaultLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese (LANGUAGE_CODE) unless the language cookie names another language the
    portal offers (settings.LANGUAGES: today Chinese only). The browser's Accept-Language is not
    consulted: an office PC with an English browser still gets the Chinese portal (DESIGN §5);
    a cookie left from when English was offered is ignored."""

    def process_request(self, request):
        offered = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in offered and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
