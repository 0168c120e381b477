import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class HeaderSynonym(models.Model):
    """A header name seen in hotline exports, mapped to one canonical order field."""

    field = models.CharField("标准字段", max_length=40, db_index=True)
    header = models.CharField("表头名称", max_length=60, unique=True)

    class Meta:
        verbose_name = "表头同义词"
        verbose_name_plural = "表头同义词"
        ordering = ["field", "header"]

    def __str__(self):
        return f"{self.header} → {self.field}"


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", "文件导入"
        API = "api", "接口推送"
        DEMO = "demo", "演示数据"

    class State(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    source = models.ForeignKey("orders.Source", verbose_name="来源", on_delete=models.PROTECT)
    kind = models.CharField("方式", max_length=5, choices=Kind.choices)
    filename = models.CharField("文件名", max_length=255, blank=True)
    file = models.FileField("文件", upload_to="imports/%Y/%m/", blank=True)
    file_size = models.PositiveBigIntegerField("文件大小", default=0)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.PENDING)
    encoding = models.CharField("编码", max_length=20, blank=True)
    rows_total = models.PositiveIntegerField("已读行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("无变化", default=0)
    stale = models.PositiveIntegerField("旧版本跳过", default=0)
    errors = models.PositiveIntegerField("错误行", default=0)
    warnings = models.PositiveIntegerField("提示", default=0)
    bytes_read = models.PositiveBigIntegerField("已处理字节", default=0)
    message = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   verbose_name="操作人")
    actor_label = models.CharField("操作来源", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename or self.pk}"

    @property
    def progress_percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if self.file_size:
            return min(99, int(self.bytes_read * 100 / self.file_size))
        return 0

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged


class ImportIssue(models.Model):
    """A row-level error or warning: which row, which column, what value, why."""

    class Level(models.TextChoices):
        ERROR = "error", "错误（该行未导入）"
        WARNING = "warning", "提示（已导入）"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField("行号", null=True, blank=True)
    column = models.CharField("列", max_length=60, blank=True)
    value = models.TextField("值", blank=True)
    reason = models.TextField("原因")
    level = models.CharField("级别", max_length=7, choices=Level.choices)
    order_no = models.CharField("工单编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "导入问题"
        verbose_name_plural = "导入问题"
        ordering = ["row", "id"]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A per-source API token. Only its hash is stored; the secret is shown once at creation."""

    class Scope(models.TextChoices):
        WRITE = "orders:write", "推送工单"
        READ = "orders:read", "读取工单"

    name = models.CharField("名称", max_length=60)
    source = models.ForeignKey("orders.Source", verbose_name="来源", on_delete=models.PROTECT, related_name="tokens")
    prefix = models.CharField("前缀", max_length=12, unique=True)
    token_hash = models.CharField("摘要", max_length=64, unique=True)
    scopes = models.JSONField("权限范围", default=list)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @classmethod
    def issue(cls, *, name: str, source, scopes: list[str], created_by=None, expires_at=None):
        """Create a token; returns (token, raw_secret). The raw secret is never stored."""
        prefix = secrets.token_hex(4)
        raw = f"jidu_{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(name=name, source=source, prefix=prefix, token_hash=hash_token(raw),
                                   scopes=scopes, created_by=created_by, expires_at=expires_at)
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        token = cls.objects.select_related("source").filter(token_hash=hash_token(raw or "")).first()
        if token is None or not token.is_valid:
            return None
        return token

    is_api_token = True  # read by org.scope.restrict

    @property
    def is_valid(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now) and self.source.active

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
