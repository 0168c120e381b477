from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "jidu.coordination"
    label = "coordination"
    verbose_name = "会商会审与联合巡查"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from jidu.coordination import models as m
        from jidu.org import scope

        c_through = m.Consultation.departments.through
        i_through = m.Inspection.departments.through

        def consultation_q(prefix=""):
            # A department sees consultations it is invited to.
            def q(depts):
                return Q(Exists(c_through.objects.filter(consultation_id=OuterRef(f"{prefix}id" if prefix else "pk"),
                                                         department_id__in=depts)))
            return q

        def inspection_q(prefix=""):
            # A department sees inspections it takes part in.
            def q(depts):
                return Q(Exists(i_through.objects.filter(inspection_id=OuterRef(f"{prefix}id" if prefix else "pk"),
                                                         department_id__in=depts)))
            return q

        scope.register(m.Consultation, consultation_q())
        scope.register(m.ConsultationMaterial, consultation_q("consultation_"))
        scope.register(m.FollowUpTask, consultation_q("consultation_"))
        scope.register(m.ListEntryChange, consultation_q("consultation_"))
        scope.register(m.Inspection, inspection_q())
        for model in (m.InspectionFinding, m.InspectionCase, m.Rectification, m.InspectionBusiness):
            scope.register(model, inspection_q("inspection_"))
        scope.register(m.FindingPhoto, inspection_q("finding__inspection_"))
        scope.register(m.Guidance, lambda depts: Q(department_id__in=depts))
