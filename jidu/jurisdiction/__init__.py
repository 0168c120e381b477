"""Jurisdiction: responsibility lists, dispatch disputes, routing advice (issue 4)."""
