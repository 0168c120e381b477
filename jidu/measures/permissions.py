"""Role defaults for the measures and the dashboard (administrators edit them afterwards)."""

ROLE_PERMISSIONS = {
    "supervisor": ["measures.view_dashboard"],
    "leader": ["measures.view_dashboard"],
    "handler": ["measures.view_dashboard"],
}
