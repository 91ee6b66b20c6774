from django.conf import settings
from django.utils import translation


class SpanishFirstLocaleMiddleware:
    """Spanish unless the person chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language; a Mexico City public service
    speaks Spanish first, so only the language cookie set by the switch changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
