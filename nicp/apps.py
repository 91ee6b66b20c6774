from django.apps import AppConfig


class NicpConfig(AppConfig):
    name = "nicp"
    verbose_name = "NICP"

    def ready(self):
        from nicp import checks, search, search_checks  # noqa: F401  (registers the checks and SQLite's f_unaccent)
