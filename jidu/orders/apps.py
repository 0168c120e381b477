from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "jidu.orders"
    label = "orders"
    verbose_name = "工单"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from jidu.org import scope
        from jidu.orders.models import OrderCoDepartment, WorkOrder

        scope.register(
            WorkOrder,
            lambda depts: Q(lead_department_id__in=depts)
            | Q(Exists(OrderCoDepartment.objects.filter(order_id=OuterRef("pk"), department_id__in=depts))),
        )
