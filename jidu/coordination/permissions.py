"""Role defaults for coordination (merged by jidu.org.roles.role_defaults())."""

_VIEW = ["coordination.view_consultation", "coordination.view_followuptask", "coordination.view_inspection",
         "coordination.view_guidance"]

ROLE_PERMISSIONS = {
    "supervisor": _VIEW + [
        "coordination.add_consultation", "coordination.change_consultation", "coordination.add_followuptask",
        "coordination.report_followup", "coordination.add_inspection", "coordination.change_inspection",
        "coordination.report_rectification", "coordination.add_guidance", "coordination.change_guidance",
        "coordination.respond_guidance",
    ],
    "handler": _VIEW + ["coordination.report_followup", "coordination.report_rectification",
                        "coordination.respond_guidance"],
    "leader": list(_VIEW),
    "dispatcher": [],
}
