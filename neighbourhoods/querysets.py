from django.db import models


class NeighbourhoodQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The territorial catalogue is public information."""
        return self

    def for_list(self):
        return self.select_related("borough")

    def search(self, text: str):
        from neighbourhoods.naming import fold

        text = (text or "").strip()
        if not text:
            return self
        return self.filter(models.Q(key__startswith=text) | models.Q(official_name__icontains=fold(text))
                           | models.Q(name__icontains=text))
