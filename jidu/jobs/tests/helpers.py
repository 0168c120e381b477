"""Callables for periodic-job tests. Any attribute ``job_<name>`` is a function that records its
own name in CALLS (thread-safe), so many jobs can each have a distinct target."""

import threading

CALLS: list[str] = []
_lock = threading.Lock()


def boom():
    raise RuntimeError("作业内部错误")


def write_then_fail():
    from jidu.core import audit

    audit.record(audit.AuditLog.Action.CHANGE, actor="测试作业", object_type="test.half", object_id="1")
    raise RuntimeError("写了一半")


def __getattr__(name):
    if not name.startswith("job_"):
        raise AttributeError(name)

    def run():
        with _lock:
            CALLS.append(name)
        return f"{name} 完成"

    run.__name__ = name
    return run
