"""A paginator for the admin's lists of large tables.

Django's admin counts the whole queryset for every page; on a table of millions of rows that count
is most of the page's time. On PostgreSQL, a list that is the whole table takes the planner's row
estimate once the table is large; a filtered list is counted up to a cap, and beyond the cap it
shows the planner's estimate (never less than the cap), so a broad filter costs as little as a
narrow one.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_BELOW = 100_000
COUNT_CAP = 10_000


class LargeTablePaginator(Paginator):
    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or connections[queryset.db].vendor != "postgresql":
            return super().count
        with connections[queryset.db].cursor() as cursor:
            if not query.where:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [query.model._meta.db_table]
                )
                row = cursor.fetchone()
                return row[0] if row and row[0] >= EXACT_BELOW else super().count
            capped = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
            if capped <= COUNT_CAP:
                return capped
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            return max(COUNT_CAP + 1, int(cursor.fetchone()[0][0]["Plan"]["Plan Rows"]))
