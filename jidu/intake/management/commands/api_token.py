from django.core.management.base import BaseCommand, CommandError

from jidu.core import audit
from jidu.intake.models import ApiToken
from jidu.orders.models import Source


class Command(BaseCommand):
    help = "管理接口令牌：create 创建（只显示一次明文）、revoke 吊销、list 列出。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--source", required=True)
        create.add_argument("--name", required=True)
        create.add_argument("--scope", action="append", choices=[s.value for s in ApiToken.Scope],
                            help="可多次指定；默认 orders:write")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        sub.add_parser("list")

    def handle(self, *args, action, **opts):
        if action == "create":
            try:
                source = Source.objects.get(code=opts["source"])
            except Source.DoesNotExist:
                raise CommandError(f"未知的工单来源“{opts['source']}”") from None
            token, raw = ApiToken.issue(name=opts["name"], source=source,
                                        scopes=opts["scope"] or [ApiToken.Scope.WRITE])
            audit.record(audit.AuditLog.Action.TOKEN, actor="命令行", obj=token, op="create")
            self.stdout.write(f"已创建令牌 {token}（来源 {source.code}，权限 {', '.join(token.scopes)}）")
            self.stdout.write(f"令牌明文（只显示这一次，请妥善保存）：{raw}")
        elif action == "revoke":
            token = ApiToken.objects.filter(prefix=opts["prefix"]).first()
            if token is None:
                raise CommandError(f"没有前缀为 {opts['prefix']} 的令牌")
            token.revoke()
            audit.record(audit.AuditLog.Action.TOKEN, actor="命令行", obj=token, op="revoke")
            self.stdout.write(f"已吊销 {token}")
        else:
            for t in ApiToken.objects.select_related("source"):
                state = "已吊销" if t.revoked_at else "有效"
                self.stdout.write(f"{t.prefix}\t{t.name}\t{t.source.code}\t{','.join(t.scopes)}\t{state}")
