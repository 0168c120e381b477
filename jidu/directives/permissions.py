"""Role defaults for 协查督办 (merged into the role groups by jidu.org.roles.role_defaults)."""

ROLE_PERMISSIONS = {
    "supervisor": ["directives.view_directive", "directives.issue_directive", "directives.review_directive",
                   "directives.view_directiverule", "directives.view_directivereply"],
    "handler": ["directives.view_directive", "directives.reply_directive", "directives.view_directivereply"],
    "leader": ["directives.view_directive", "directives.view_directivereply"],
    "dispatcher": ["directives.view_directive", "directives.view_directivereply"],
}
