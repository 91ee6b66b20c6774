def username_from_request(request, credentials) -> str | None:
    """The login name django-axes locks on: the e-mail from the allauth form, the API or the admin."""
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    data = getattr(request, "POST", None) or {}
    for key in ("login", "email", "username"):
        if data.get(key):
            return str(data[key]).strip().lower()
    return None


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """429 for a locked username+IP: JSON for API clients, a Spanish page for people."""
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Demasiados intentos fallidos. Espera una hora o restablece tu contraseña."},
                            status=429)
    return render(request, "account/lockout.html", status=429)
