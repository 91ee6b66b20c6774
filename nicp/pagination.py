"""A paginator for long lists that join other tables to show each row.

With an OFFSET deep into a list, the database joins and sorts every row before the offset to throw them
away (10,000 projects: a sort spilled to disk, about 180 ms for page 320 of the project list). Reading
the page's primary keys first touches only the index; the joined rows are then read for those keys
alone (about 2 ms). Same pages, same order, one more query.
"""

from django.core.paginator import Paginator


class KeysFirstPaginator(Paginator):
    """Paginates an ordered queryset by slicing its primary keys, then reading that page's rows."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()} if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
