from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "jidu.screening"
    label = "screening"
    verbose_name = "线索筛查"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from jidu.intake.signals import orders_ingested
        from jidu.org import scope
        from jidu.orders.models import OrderCoDepartment
        from jidu.screening.hooks import on_orders_ingested
        from jidu.screening.models import OrderScreening

        scope.register(
            OrderScreening,
            lambda depts: Q(order__lead_department_id__in=depts)
            | Q(Exists(OrderCoDepartment.objects.filter(order_id=OuterRef("order_id"), department_id__in=depts))),
        )
        orders_ingested.connect(on_orders_ingested, dispatch_uid="screening.on_orders_ingested")
