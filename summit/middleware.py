from django.http import JsonResponse


class ApiErrorsAsJsonMiddleware:
    """Under /api/ every error is JSON in the API's shape, `{"detail": ...}`, also those that
    the API's own views do not answer: Django's 400 (an unknown host) and 403, the 405 of
    the schema and documentation pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and "json" not in response.get("Content-Type", "")
        ):
            json = JsonResponse(
                {"detail": f"{response.reason_phrase}."}, status=response.status_code
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate", "Vary"):
                if header in response:
                    json[header] = response[header]
            return json
        return response
