from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "jidu.directives"
    label = "directives"
    verbose_name = "协查督办"

    def ready(self):
        from django.db.models import Q

        from jidu.directives import receivers
        from jidu.directives.models import Directive, DirectiveEvent, DirectiveReminder, DirectiveReply
        from jidu.intake.signals import orders_ingested
        from jidu.org import scope

        hidden = Directive.HIDDEN_FROM_DEPARTMENTS

        def addressed(prefix=""):
            # A department sees the directives addressed to it once issued (never the supervisors'
            # proposals or the ones they decided not to issue).
            return lambda depts: Q(**{f"{prefix}addressee_id__in": depts}) & ~Q(**{f"{prefix}state__in": hidden})

        scope.register(Directive, addressed())
        for model in (DirectiveReply, DirectiveEvent, DirectiveReminder):
            scope.register(model, addressed("directive__"))
        # After screening (enforcement_only rules read its result), whatever the app order.
        orders_ingested.connect(receivers.propose_for_ingested, dispatch_uid="directives.propose")
