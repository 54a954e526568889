"""A paginator for the admin's lists of large tables.

Django's admin counts the whole queryset for every page; on a table of millions of rows that count
is most of the page's time. When the list is the whole table (no filter, no search) on PostgreSQL,
the planner's row estimate is used instead once the table is large; a filtered list is counted
exactly, and it is small because it is filtered (by scope, by a filter, by a search).
"""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_BELOW = 100_000


class LargeTablePaginator(Paginator):
    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and connections[queryset.db].vendor == "postgresql":
            with connections[queryset.db].cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [query.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] >= EXACT_BELOW:
                return row[0]
        return super().count
