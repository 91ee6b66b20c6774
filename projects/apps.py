from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Proyectos"

    def ready(self):
        from projects import (
            permissions,  # noqa: F401  (registers the rules)
            receivers,  # noqa: F401  (connects to proposals' signals)
            visibility,  # noqa: F401  (registers who else reads proposals)
        )
