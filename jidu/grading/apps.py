from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "jidu.grading"
    label = "grading"
    verbose_name = "三色研判"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from jidu.grading import receivers
        from jidu.grading.models import ClueGrade, GradeChange
        from jidu.org import scope
        from jidu.orders.models import OrderCoDepartment
        from jidu.screening.signals import orders_screened

        def via_order(depts):
            return Q(order__lead_department_id__in=depts) | Q(Exists(
                OrderCoDepartment.objects.filter(order_id=OuterRef("order_id"), department_id__in=depts)))

        scope.register(ClueGrade, via_order)
        scope.register(GradeChange, via_order)
        orders_screened.connect(receivers.grade_screened, dispatch_uid="grading.grade_screened")
