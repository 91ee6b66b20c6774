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
