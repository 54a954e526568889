"""Names in Polish alphabetical order (ą after a, ł after l, ś after s…), the same on both databases.

Byte order puts "mazowieckie" before "małopolskie" and every ł, ś or ż after z. `Polish(field)` orders by
the field in PostgreSQL's ICU collation for Polish; on SQLite, which has no ICU, the same order comes
from `compare`, registered as a collation on every new connection.
"""

import unicodedata

from django.db.models.functions import Collate

POSTGRESQL_COLLATION = "pl-x-icu"
SQLITE_COLLATION = "pl"
ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}


class Polish(Collate):
    def __init__(self, expression):
        super().__init__(expression, POSTGRESQL_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, collation=SQLITE_COLLATION, **extra_context)


def letter_key(character):
    """Letters by the Polish alphabet (other accented letters beside their base letter), after digits and signs."""
    if character in RANK:
        return (1, RANK[character], 0)
    base = unicodedata.normalize("NFD", character)[0]
    if base in RANK:
        return (1, RANK[base], ord(character))
    return (0, ord(character), 0)


def sort_key(text):
    folded = text.casefold()
    return [letter_key(character) for character in folded], text


def compare(left, right):
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, compare)
