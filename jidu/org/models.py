from django.contrib.auth.models import AbstractUser
from django.db import models


class Area(models.Model):
    """Administrative area: city → district/county/functional zone → town/street."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        DISTRICT = "district", "区"
        COUNTY = "county", "县"
        ZONE = "zone", "功能区"
        TOWN = "town", "镇/乡"
        STREET = "street", "街道"

    code = models.CharField("区划代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=60, db_index=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区域", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.JSONField("别名", default=list, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "行政区域"
        verbose_name_plural = "行政区域"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def ancestors(self) -> list["Area"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def descendant_ids(self) -> list[int]:
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Field(models.Model):
    """Enforcement field (执法领域), e.g. 文旅, 市场监管."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "执法领域"
        verbose_name_plural = "执法领域"
        ordering = ["sort", "code"]

    def __str__(self):
        return self.name


class ProblemType(models.Model):
    """Problem type (问题类型), e.g. 短斤少两, 虚假宣传."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    fields = models.ManyToManyField(Field, verbose_name="相关领域", blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "问题类型"
        verbose_name_plural = "问题类型"
        ordering = ["sort", "code"]

    def __str__(self):
        return self.name


class Department(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        DISTRICT = "district", "区县级"
        ZONE = "zone", "功能区"
        TOWN = "town", "乡镇街道"

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=80, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级部门", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    area = models.ForeignKey(Area, verbose_name="所属区域", null=True, blank=True, on_delete=models.PROTECT)
    is_enforcement = models.BooleanField("行政执法机关", default=False)
    fields = models.ManyToManyField(Field, verbose_name="负责领域", blank=True, related_name="departments")
    aliases = models.JSONField("别名", default=list, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["level", "code"]

    def __str__(self):
        return self.short_name or self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        DISPATCHER = "dispatcher", "热线派单员"
        SUPERVISOR = "supervisor", "执法监督员"
        HANDLER = "handler", "部门承办人"
        LEADER = "leader", "领导"
        ADMIN = "admin", "管理员"

    role = models.CharField("角色", max_length=12, choices=Role.choices, blank=True)
    department = models.ForeignKey(
        Department, verbose_name="所属部门", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    display_name = models.CharField("姓名", max_length=40, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_handler(self) -> bool:
        return self.role == self.Role.HANDLER and not self.is_superuser

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from jidu.org.roles import sync_user_group

        sync_user_group(self)


class SeededPermission(models.Model):
    """A role default permission that has been given to a role group once. Defaults that arrive
    with a new app or release are added to existing groups; a permission an administrator took
    away is never given back, because it has been seeded before."""

    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="+")
    permission = models.ForeignKey("auth.Permission", on_delete=models.CASCADE, related_name="+")
    seeded_at = models.DateTimeField("首次授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色默认权限记录"
        verbose_name_plural = "角色默认权限记录"
        constraints = [models.UniqueConstraint(fields=["group", "permission"], name="uniq_seeded_permission")]
