ROLE_PERMISSIONS = {
    "supervisor": ["supervision.view_supervisioncase", "supervision.add_supervisioncase",
                   "supervision.change_supervisioncase", "supervision.review_supervisioncase",
                   "supervision.add_caseresult", "supervision.view_caseresult"],
    "handler": ["supervision.view_supervisioncase", "supervision.rectify_supervisioncase"],
    "leader": ["supervision.view_supervisioncase", "supervision.view_caseresult"],
}
