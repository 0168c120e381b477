from django.apps import AppConfig


class JurisdictionConfig(AppConfig):
    name = "jidu.jurisdiction"
    label = "jurisdiction"
    verbose_name = "职责清单与派单争议"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from jidu.intake.signals import orders_ingested
        from jidu.jurisdiction import models as m
        from jidu.jurisdiction import receivers
        from jidu.jurisdiction.services import advice
        from jidu.org import scope
        from jidu.orders.models import OrderCoDepartment

        def dispute_q(prefix=""):
            def q(depts):
                return (Q(**{f"{prefix}returning_department_id__in": depts})
                        | Q(**{f"{prefix}decided_lead_id__in": depts})
                        | Q(**{f"{prefix}order__lead_department_id__in": depts})
                        | Q(Exists(m.DisputeClaim.objects.filter(dispute_id=OuterRef("dispute_id" if prefix else "pk"),
                                                                 department_id__in=depts))))
            return q

        def via_order(depts):
            return Q(order__lead_department_id__in=depts) | Q(Exists(
                OrderCoDepartment.objects.filter(order_id=OuterRef("order_id"), department_id__in=depts)))

        everyone = lambda depts: Q()  # noqa: E731  (reference data: the whole city may read it)
        scope.register(m.Dispute, dispute_q())
        scope.register(m.DisputeClaim, dispute_q("dispute__"))
        scope.register(m.DisputeAttachment, dispute_q("dispute__"))
        scope.register(m.ListEntry, everyone)
        scope.register(m.ListEntryVersion, everyone)
        scope.register(m.Precedent, everyone)
        scope.register(m.RoutingChoice, via_order)
        scope.register(m.Notice, lambda depts: Q(department_id__in=depts))

        orders_ingested.connect(receivers.open_disputes_for_returns, dispatch_uid="jurisdiction.returns")
        for model in (m.ListEntry, m.Precedent):
            post_save.connect(advice.invalidate, sender=model, dispatch_uid=f"jurisdiction.inv.{model.__name__}")
            post_delete.connect(advice.invalidate, sender=model, dispatch_uid=f"jurisdiction.invd.{model.__name__}")
        for through in (m.ListEntry.co_departments.through, m.ListEntry.fields.through,
                        m.Precedent.co_departments.through):
            m2m_changed.connect(advice.invalidate, sender=through, dispatch_uid=f"jurisdiction.m2m.{through.__name__}")
