from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    pass


class AppendOnlyModel(models.Model):
    """Rows are written once and never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} 记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} 记录只能追加，不能删除")


class AuditLog(AppendOnlyModel):
    """Who touched what: unmasked personal data, refused access, exports, imports, token use."""

    class Action(models.TextChoices):
        VIEW_PERSONAL = "view_personal", "查看个人信息"
        DENIED = "denied", "越权访问被拒"
        EXPORT = "export", "导出数据"
        IMPORT = "import", "导入数据"
        TOKEN = "token", "令牌管理"
        CHANGE = "change", "修改数据"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField("操作者", max_length=150, blank=True)
    action = models.CharField("动作", max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_type}#{self.object_id}"


class StoredFile(models.Model):
    """An uploaded file kept privately and served only through a scoped view (`jidu.core.files`).

    Concrete models add their own ``file`` FileField (upload_to, max_length differ) and owner keys.
    """

    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="上传人")
    at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return self.name

    @classmethod
    def from_upload(cls, upload, *, by=None, **owner):
        """Save an (already validated) upload with its original name and size; ``owner`` sets the keys."""
        return cls.objects.create(file=upload, name=PurePath(upload.name).name[:200], size=upload.size,
                                  uploaded_by=by, **owner)
