from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Cuentas"

    def ready(self):
        # Imported for their side effects: the rules, the receiver that revokes API tokens when
        # credentials change, and the token scheme in the OpenAPI schema.
        from accounts import permissions, tokens  # noqa: F401
        from accounts.api import schema  # noqa: F401
