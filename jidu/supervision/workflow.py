"""The supervision procedure as an explicit state machine. The steps are fixed by law (立案 → 调查 →
制发监督文书 → 整改 → 复核 → 结案 → 结果运用, 撤销 from the early steps), so the transitions are code;
the time limit of each step is data (worktime.TimeLimit, key ``supervision.<step>``)."""

from django.db import models


class State(models.TextChoices):
    FILED = "filed", "立案"
    INVESTIGATING = "investigating", "调查/调阅案卷"
    DOCUMENT_ISSUED = "document_issued", "制发监督文书"
    RECTIFYING = "rectifying", "整改"
    REVIEWING = "reviewing", "复核"
    CLOSED = "closed", "结案"
    APPLIED = "applied", "结果运用"
    WITHDRAWN = "withdrawn", "撤销"


class Action(models.TextChoices):
    INVESTIGATE = "investigate", "开始调查"
    ISSUE = "issue", "制发监督文书"
    DELIVER = "deliver", "签收并整改"
    SUBMIT = "submit", "提交整改报告"
    RETURN = "return", "退回继续整改"
    ACCEPT = "accept", "复核通过并结案"
    APPLY = "apply", "记录结果运用"
    WITHDRAW = "withdraw", "撤销案件"


# (from state, action) → to state. Nothing else is allowed.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.FILED, Action.INVESTIGATE): State.INVESTIGATING,
    (State.INVESTIGATING, Action.ISSUE): State.DOCUMENT_ISSUED,
    (State.DOCUMENT_ISSUED, Action.DELIVER): State.RECTIFYING,
    (State.RECTIFYING, Action.SUBMIT): State.REVIEWING,
    (State.REVIEWING, Action.RETURN): State.RECTIFYING,
    (State.REVIEWING, Action.ACCEPT): State.CLOSED,
    (State.CLOSED, Action.APPLY): State.APPLIED,
    (State.FILED, Action.WITHDRAW): State.WITHDRAWN,
    (State.INVESTIGATING, Action.WITHDRAW): State.WITHDRAWN,
    (State.DOCUMENT_ISSUED, Action.WITHDRAW): State.WITHDRAWN,
}

# Time limit key of each step that has one (terminal states have none).
TIME_LIMIT_KEYS = {
    State.FILED: "supervision.file",
    State.INVESTIGATING: "supervision.investigate",
    State.DOCUMENT_ISSUED: "supervision.deliver",
    State.RECTIFYING: "supervision.rectify",
    State.REVIEWING: "supervision.review",
    State.CLOSED: "supervision.apply",
}

TERMINAL = {State.APPLIED, State.WITHDRAWN}
# States in which further documents (提醒函, 督办单, 决定书 …) may be issued without moving the case.
DOCUMENT_STATES = {State.INVESTIGATING, State.DOCUMENT_ISSUED, State.RECTIFYING, State.REVIEWING}
ORDER = [State.FILED, State.INVESTIGATING, State.DOCUMENT_ISSUED, State.RECTIFYING, State.REVIEWING,
         State.CLOSED, State.APPLIED]


class TransitionRefused(Exception):
    pass


def allowed_actions(state: str) -> list[str]:
    return [action for (frm, action) in TRANSITIONS if frm == state]


def target(state: str, action: str) -> str:
    """The next state, or TransitionRefused with a Chinese message saying why and what is possible."""
    nxt = TRANSITIONS.get((state, action))
    if nxt is not None:
        return nxt
    here = State(state).label
    wanted = Action(action).label if action in Action.values else action
    if state in TERMINAL:
        raise TransitionRefused(f"案件已{here}，不能再“{wanted}”。")
    possible = "、".join(f"“{Action(a).label}”" for a in allowed_actions(state)) or "无"
    if action == Action.WITHDRAW:
        early = "、".join(State(frm).label for (frm, act) in TRANSITIONS if act == Action.WITHDRAW)
        raise TransitionRefused(f"案件已进入“{here}”环节，只有在{early}环节可以撤销；当前可以进行：{possible}。")
    goal = next((to for (frm, act), to in TRANSITIONS.items() if act == action), None)
    if goal in ORDER and state in ORDER and ORDER.index(goal) <= ORDER.index(state):
        reason = f"案件已处于“{here}”环节，“{wanted}”已经完成，不能重复"
    else:
        reason = f"案件当前处于“{here}”环节，不能跳过中间步骤直接“{wanted}”"
    raise TransitionRefused(f"{reason}；当前可以进行：{possible}。")


DIAGRAM = """
立案 filed ──开始调查──► 调查/调阅案卷 investigating ──制发监督文书──► 制发监督文书 document_issued
   │                         │                                        │
   └──────────撤销───────────┴────────────────撤销─────────────────────┴──► 撤销 withdrawn
document_issued ──部门签收──► 整改 rectifying ──提交整改报告──► 复核 reviewing ──通过──► 结案 closed
                                  ▲                                  │
                                  └───────────退回继续整改───────────┘
closed ──记录结果运用──► 结果运用 applied
"""
