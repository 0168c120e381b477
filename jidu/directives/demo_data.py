"""Demo material for 协查督办: run the proposer over the demo orders, issue a few proposals (red
card, 督办单, yellow card — preferably to 普陀区市场监管局, whose demo handler is `scjg`) and have one
replied. Idempotent: proposals are unique per order and rule, and nothing is issued twice."""

from django.db.models import Case, IntegerField, Value, When

from jidu.directives import services
from jidu.directives.models import Directive, Kind
from jidu.org.models import User

DEMO_DEPARTMENT = "PT_SCJG"


def populate(stdout) -> None:
    summary = services.propose_due()
    stdout.write(f"协查督办：{summary}")
    supervisor = User.objects.filter(username="supervisor", role="supervisor").first()
    handler = User.objects.filter(username="scjg", role="handler").first()
    if supervisor is None or Directive.objects.exclude(state__in=Directive.HIDDEN_FROM_DEPARTMENTS).exists():
        return
    pending = Directive.objects.filter(state=Directive.State.PROPOSED).select_related("order", "addressee")
    pending = pending.annotate(mine=Case(When(addressee__code=DEMO_DEPARTMENT, then=Value(0)), default=Value(1),
                                         output_field=IntegerField())).order_by("mine", "-proposed_at")
    issued = []
    for kind in (Kind.RED, Kind.DUBAN, Kind.YELLOW, Kind.DUBAN):
        d = pending.filter(kind=kind).exclude(pk__in=[x.pk for x in issued]).first()
        if d is None:
            continue
        try:
            issued.append(services.issue(d, by=supervisor))
        except services.DirectiveError as exc:
            stdout.write(f"  未能签发{d}：{exc}")
    replied = 0
    if handler is not None:
        for d in issued:
            if d.addressee_id == handler.department_id:
                services.reply(d, by=handler, text="已收到督办。经核查，已约谈经营者并责令退还多收款项，"
                                                   "处理结果已电话告知来电人，来电人表示认可。")
                replied += 1
                break
    stdout.write(f"协查督办：演示签发 {len(issued)} 件，已回复 {replied} 件。")
