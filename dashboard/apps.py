from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Inicio"

    def ready(self):
        from dashboard import staff_notices  # noqa: F401  (connects to the lower apps' signals)
