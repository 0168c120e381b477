"""Role defaults for reports. Reports are city-wide documents: leaders and supervisors read and
(supervisors) generate them; dispatchers read them; department handlers get none (see docs/REPORTS.md)."""

ROLE_PERMISSIONS = {
    "supervisor": ["reports.view_report", "reports.generate_report"],
    "leader": ["reports.view_report"],
    "dispatcher": ["reports.view_report"],
    "handler": [],
}
