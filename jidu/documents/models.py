"""Official supervision documents (监督文书): types with administrator-edited templates, gap-free
numbering per type per year, and the issued documents with their .docx (GB/T 9704 layout)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class DocumentType(models.Model):
    """A kind of document (行政执法监督通知书 …) with its number prefix and its templates."""

    code = models.SlugField("代码", max_length=30, unique=True, help_text="程序使用的代码，如 notice")
    name = models.CharField("文书名称", max_length=40, help_text="如：行政执法监督通知书")
    prefix = models.CharField("发文字号代字", max_length=20, unique=True,
                              help_text="如：舟司执监。字号为 代字〔年份〕序号号；各文书类型的代字不得相同")
    authority = models.CharField("发文机关", max_length=60, help_text="落款署名，如：舟山市司法局")
    authority_mark = models.CharField("发文机关标志", max_length=60, blank=True,
                                      help_text="版头红色标志，如：舟山市司法局；空=与发文机关相同")
    title_template = models.CharField(
        "标题模板", max_length=300,
        help_text="Django 模板语法，如：关于{{ case.subject }}的行政执法监督通知书")
    body_template = models.TextField(
        "正文模板",
        help_text="Django 模板语法。可用变量：case（案件：subject 事由、summary 概要、number 编号、filed_date_cn 立案日期）、"
                  "order（首件工单：order_no、title、content、received_at）、orders（全部关联工单）、"
                  "department（主送单位）、deadline / deadline_cn（整改期限）、issue_date_cn（发文日期）、"
                  "authority（发文机关）、extra（补充内容）。每行一段；以“一、”等开头的行按标题排版。")
    active = models.BooleanField("启用", default=True)
    sort = models.PositiveIntegerField("排序", default=0)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "文书类型"
        verbose_name_plural = "文书类型"
        ordering = ["sort", "id"]

    def __str__(self):
        return self.name

    @property
    def mark(self) -> str:
        return self.authority_mark or self.authority

    def clean(self):
        from jidu.documents.templating import TemplateProblem, check_template

        errors = {}
        for field in ("title_template", "body_template"):
            try:
                check_template(getattr(self, field))
            except TemplateProblem as exc:
                errors[field] = str(exc)
        if errors:
            raise ValidationError(errors)


class DocumentSequence(models.Model):
    """The last number used for one type in one year. Locked with SELECT … FOR UPDATE while a
    document is created, in the same transaction, so numbers have neither gaps nor repeats."""

    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="sequences",
                                 verbose_name="文书类型")
    year = models.PositiveIntegerField("年份")
    last_number = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "文书编号序列"
        verbose_name_plural = "文书编号序列"
        constraints = [models.UniqueConstraint(fields=["doc_type", "year"], name="uniq_document_sequence")]

    def __str__(self):
        return f"{self.doc_type}〔{self.year}〕已用至{self.last_number}号"


def _docx_path(instance, filename):
    return f"documents/{instance.year}/{instance.doc_type.code}-{instance.seq:04d}.docx"


def _pdf_path(instance, filename):
    return f"documents/{instance.year}/{instance.doc_type.code}-{instance.seq:04d}.pdf"


class OfficialDocument(models.Model):
    """An issued, numbered document. Never renumbered; the file's SHA-256 is kept."""

    number = models.CharField("发文字号", max_length=60, unique=True)
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents",
                                 verbose_name="文书类型")
    year = models.PositiveIntegerField("年份")
    seq = models.PositiveIntegerField("序号")
    title = models.CharField("标题", max_length=300)
    addressee = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="documents_received", verbose_name="主送单位")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="签发人")
    issued_at = models.DateTimeField("发文时间", default=timezone.now, db_index=True)
    body = models.TextField("正文", blank=True)
    docx = models.FileField("Word 文件", upload_to=_docx_path, max_length=200)
    pdf = models.FileField("PDF 文件", upload_to=_pdf_path, max_length=200, blank=True)
    sha256 = models.CharField("文件SHA-256", max_length=64, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                     verbose_name="关联对象类型")
    object_id = models.CharField("关联对象编号", max_length=40, blank=True)
    obj = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = "监督文书"
        verbose_name_plural = "监督文书"
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["doc_type", "year", "seq"], name="uniq_document_number")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def filename(self) -> str:
        return f"{self.number}{self.doc_type.name}.docx"
