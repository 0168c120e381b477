from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "jidu.warnings"
    label = "warnings"
    verbose_name = "预警抄报"

    def ready(self):
        # Detection runs on a schedule (periodic job every 15 minutes, `detect_warnings --loop`),
        # not on intake/screening signals: a spike is a property of a window of hours, and running
        # the detectors after every committed chunk of a large import would repeat the same work
        # dozens of times per file (see docs/WARNINGS.md).
        from django.db.models import Exists, OuterRef, Q

        from jidu.org import scope
        from jidu.warnings.models import Warning, WarningAction, WarningOrder

        def copied_to(prefix=""):
            def q(depts):
                return Q(Exists(Warning.departments.through.objects.filter(
                    warning_id=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"), department_id__in=depts)))
            return q

        scope.register(Warning, copied_to())
        scope.register(WarningOrder, copied_to("warning_"))
        scope.register(WarningAction, copied_to("warning_"))
