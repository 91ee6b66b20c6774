from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = "Comités"

    def ready(self):
        from committees import (
            permissions,  # noqa: F401  (registers the rules)
            receivers,  # noqa: F401  (connects to accounts' and proposals' signals)
            visibility,  # noqa: F401  (registers who else reads proposals)
        )
