"""``field__any=values``: membership in a list sent as ONE query parameter.

Django's ``__in`` writes one placeholder per value. For the 1,000-order chunks of a bulk import
that is a 1,000-parameter statement Django compiles value by value and, on PostgreSQL, psycopg
re-parses and quotes on every call (about 5 % of an import's time went there). ``__any`` sends
the list as one array on PostgreSQL (``col = ANY(%s)``) and as one JSON text on SQLite
(``col IN (SELECT value FROM json_each(%s))``); both use the column's index as ``IN`` does. Other
databases get a plain ``IN``.

Values are plain integers or strings (ids, order numbers): each is prepared by the field's
``get_prep_value`` (so ``order__any`` takes order ids, not Order objects). An empty list matches
nothing. Registered on every field by ``CoreConfig.ready``.
"""

import json

from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup

_PLAIN = (int, str)


class AnyOf(Lookup):
    lookup_name = "any"

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression") or isinstance(self.rhs, (str, bytes)):
            raise TypeError("__any takes a list of values, not an expression or a string")
        prep = self.lhs.output_field.get_prep_value
        values = []
        for value in self.rhs:
            if value is None:
                continue  # as __in: NULL never equals anything
            values.append(value if type(value) in _PLAIN else prep(value))
        return values

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        values = self.rhs
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s)", (*lhs_params, values)
        if connection.vendor == "sqlite":
            return (f"{lhs_sql} IN (SELECT value FROM json_each(%s))",
                    (*lhs_params, json.dumps(values, ensure_ascii=False)))
        if not values:
            raise EmptyResultSet
        return f"{lhs_sql} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)
