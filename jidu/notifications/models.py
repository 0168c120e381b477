"""The in-app inbox, delivery channels (e-mail, JSON webhook), per-user preferences, and the
delivery queue the periodic delivery job works through."""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jidu.core.crypto import EncryptedTextField


class Notification(models.Model):
    """One inbox row for one user. The same (user, dedupe_key) exists at most once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name="接收人")
    kind = models.CharField("类别", max_length=60, help_text="如 dispute.reminder、warning.new")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    urgent = models.BooleanField("紧急（红色）", default=False,
                                 help_text="紧急消息不受免打扰时段与节假日限制，立即投递")
    dedupe_key = models.CharField("去重键", max_length=200, blank=True,
                                  help_text="同一接收人同一去重键只通知一次（如 dispute:12:20h）")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]
        constraints = [models.UniqueConstraint(fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""),
                                               name="uniq_notification_dedupe")]

    def __str__(self):
        return self.title

    @property
    def safe_url(self) -> str:
        """The link, if it is one a page may render (a local path or http/https)."""
        return self.url if self.url.startswith(("/", "http://", "https://")) and not self.url.startswith("//") else ""


class Channel(models.Model):
    """A way out besides the inbox. Quiet hours and the working-day rule are this channel's
    defaults; a user's preference may set their own quiet hours."""

    class Kind(models.TextChoices):
        EMAIL = "email", "电子邮件"
        WEBHOOK = "webhook", "Webhook（JSON）"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=80)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    enabled = models.BooleanField("启用", default=True)
    default_on = models.BooleanField("默认订阅", default=True, help_text="没有个人设置的用户是否使用此渠道")
    url = models.URLField("Webhook 地址", max_length=500, blank=True)
    secret = EncryptedTextField("签名密钥", blank=True,
                                help_text="HMAC-SHA256 密钥；请求头 X-Jidu-Signature: sha256=<hex>，按原始请求体计算")
    timeout_seconds = models.PositiveIntegerField("超时（秒）", default=10)
    max_attempts = models.PositiveIntegerField("最多尝试次数", default=8)
    kinds = models.JSONField("只投递这些类别", default=list, blank=True,
                             help_text="消息类别列表（前缀匹配，如 dispute.）；为空表示全部")
    quiet_start = models.TimeField("免打扰开始", default=dt.time(22, 0))
    quiet_end = models.TimeField("免打扰结束", default=dt.time(7, 30))
    working_days_only = models.BooleanField("仅工作日投递", default=True,
                                            help_text="非紧急消息在节假日、周末推迟到下一个工作日")

    class Meta:
        verbose_name = "通知渠道"
        verbose_name_plural = "通知渠道"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def accepts(self, kind: str) -> bool:
        return not self.kinds or any(kind == k or kind.startswith(k) for k in self.kinds)


class Preference(models.Model):
    """A user's choices. Without a row the user gets the channels marked 默认订阅 and each
    channel's quiet hours."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name="用户")
    channels = models.ManyToManyField(Channel, blank=True, related_name="+", verbose_name="接收渠道")
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True, help_text="为空：用渠道的设置")
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "个人通知设置"
        verbose_name_plural = "个人通知设置"

    def __str__(self):
        return str(self.user)


class Delivery(models.Model):
    """One notification sent over one channel. ``uid`` goes out as X-Jidu-Delivery so a receiver
    can drop a repeat (delivery is at-least-once)."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    uid = models.UUIDField("投递编号", default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name="消息")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries", verbose_name="渠道")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField("已尝试", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    last_error = models.TextField("最近错误", blank=True)
    postponed_reason = models.CharField("推迟原因", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息投递"
        verbose_name_plural = "消息投递"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="uniq_delivery")]

    def __str__(self):
        return f"{self.notification} → {self.channel}"
