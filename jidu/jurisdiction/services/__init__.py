"""Domain logic of the jurisdiction app. `measures` is re-exported here: services.measures(...)."""

from jidu.jurisdiction.services.measures import measures, measures_by_department  # noqa: F401
