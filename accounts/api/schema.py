"""How the OpenAPI schema (drf-spectacular) describes the API token scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Token de la API con el prefijo «Token»: `Authorization: Token <clave>`. Se obtiene en "
                "POST /api/v1/auth/token/ (correo, contraseña y, para quien activó TOTP, el código) o en "
                "el perfil; vence y se revoca al cambiar la contraseña."
            ),
        }
