"""The main job: build a demo database and serve the app.

    python -m jidu demo            # set up (first run) and serve http://127.0.0.1:8000
    python -m jidu demo --no-serve # set up only
"""

import itertools
import secrets
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from jidu.intake.models import ImportBatch
from jidu.intake.services import Ingestor, bump_batch
from jidu.orders.models import Source, WorkOrder
from jidu.org.models import Department, User

# username, display name, role, department code (None: city-wide), may see personal data
DEMO_USERS = [
    ("admin", "系统管理员", "admin", None, False),
    ("dispatcher", "王派单（12345热线）", "dispatcher", "RX12345", False),
    ("supervisor", "李监督（市司法局）", "supervisor", "SFJ", True),
    ("scjg", "陈承办（普陀区市场监管局）", "handler", "PT_SCJG", False),
    ("wglt", "周承办（普陀区文广旅体局）", "handler", "PT_WGLT", False),
    ("zhzf", "吴承办（普陀区综合执法局）", "handler", "PT_ZHZF", False),
    ("leader", "赵领导", "leader", None, False),
]


class Command(BaseCommand):
    help = "建立演示数据库（舟山参考数据、演示用户、约90天的合成热线工单），并启动网站与后台任务。"

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=20000, help="合成工单数（默认 20000）")
        parser.add_argument("--days", type=int, default=90, help="覆盖天数（默认 90）")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
        parser.add_argument("--no-serve", action="store_true", help="只建库，不启动网站")
        parser.add_argument("--regenerate", action="store_true", help="即使已有演示工单也重新生成（幂等，不会重复）")

    def handle(self, *args, orders, days, addr, no_serve, regenerate, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference", stdout=self.stdout)
        passwords = self.create_users()
        source = Source.objects.get(code="12345")
        if regenerate or not WorkOrder.objects.filter(source=source).exists():
            self.load_orders(source, orders, days)
        else:
            self.stdout.write(f"已有演示工单 {WorkOrder.objects.count()} 件（如需重新生成加 --regenerate）。")
        self.populate_apps()
        self.stdout.write("\n演示账号（密码每次运行重新生成）：")
        for username, name, role, _dept, _pii in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {passwords[username]}  {name}（{dict(User.Role.choices)[role]}）")
        if no_serve:
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"\n打开 http://{addr}/ 登录。按 Ctrl+C 停止。")
        # Beside the web server: the job worker (imports, API screening, queued periodic jobs) and
        # the scheduler, which runs the periodic jobs (jidu.jobs.PeriodicJob: the dispute clock,
        # notification delivery, reports, every app's scans) when due; see docs/JOBS.md.
        helpers = [subprocess.Popen([sys.executable, "-m", "jidu", "db_worker", "--interval", "1"]),
                   subprocess.Popen([sys.executable, "-m", "jidu", "run_scheduler", "--loop", "30"])]
        try:
            call_command("runserver", addr, use_reloader=False, use_threading=True)
        finally:
            for proc in helpers:
                proc.terminate()
            for proc in helpers:
                proc.wait(timeout=10)

    def populate_apps(self) -> None:
        """Each app that has demo material of its own (cases, warnings, reports…) provides a module
        ``<app>.demo_data`` with ``populate(stdout)``; it must be idempotent (re-runs add nothing twice)."""
        import importlib

        from django.apps import apps

        for config in apps.get_app_configs():
            if not config.name.startswith("jidu."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo_data")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo_data":
                    continue
                raise
            module.populate(self.stdout)

    def create_users(self) -> dict[str, str]:
        from django.contrib.auth.models import Permission

        personal = Permission.objects.get(codename="view_personal_data", content_type__app_label="orders")
        passwords = {}
        for username, name, role, dept_code, pii in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.display_name, user.role = name, role
            user.department = Department.objects.filter(code=dept_code).first() if dept_code else None
            user.is_staff = user.is_superuser = role == "admin"
            passwords[username] = "jd-" + secrets.token_urlsafe(9)
            user.set_password(passwords[username])
            user.save()
            if pii:
                user.user_permissions.add(personal)
        return passwords

    def load_orders(self, source, target: int, days: int) -> None:
        from jidu.demo.generator import generate_stream

        end = timezone.localdate()
        started = time.monotonic()
        batch = ImportBatch.objects.create(source=source, kind=ImportBatch.Kind.DEMO, filename="合成演示数据",
                                           actor_label="演示数据生成器", state=ImportBatch.State.RUNNING)
        # The stream carries each order's successive versions: not duplicates worth a warning.
        ingestor = Ingestor(source, actor_label="演示数据生成器", batch=batch, chunk_size=1000,
                            report_duplicates=False)
        # The generator fills whole days; keep only what has happened by now (it is sorted by updated_at).
        cutoff = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        versions = itertools.takewhile(lambda rec: rec["updated_at"] <= cutoff,
                                       generate_stream(end=end, days=days, target_orders=target))
        stream = ((n, rec) for n, rec in enumerate(versions, 1))
        for outcomes in ingestor.ingest_chunks(stream):
            bump_batch(batch, outcomes)
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.DONE, finished_at=timezone.now())
        batch.refresh_from_db()
        self.stdout.write(
            f"演示工单：{WorkOrder.objects.filter(source=source).count()} 件（{batch.rows_total} 个版本记录，"
            f"错误 {batch.errors}），用时 {time.monotonic() - started:.1f} 秒；截至 {end:%Y-%m-%d}，覆盖 {days} 天。"
        )
