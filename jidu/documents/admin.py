from django.contrib import admin
from django.utils.html import format_html, linebreaks

from jidu.core.admin import ReadOnlyAdmin
from jidu.documents import models as m
from jidu.documents.templating import TemplateProblem, render_text, sample_context


@admin.register(m.DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "prefix", "authority", "active", "sort"]
    list_editable = ["active", "sort"]
    search_fields = ["name", "code", "prefix"]
    readonly_fields = ["preview"]
    fieldsets = [
        (None, {"fields": ["code", "name", "prefix", "authority", "authority_mark", "active", "sort", "note"]}),
        ("模板", {"fields": ["title_template", "body_template"]}),
        ("预览（示例数据，保存后刷新）", {"fields": ["preview"]}),
    ]

    @admin.display(description="预览")
    def preview(self, obj):
        if obj is None or not obj.pk:
            return "保存后显示预览"
        context = sample_context()
        try:
            title = render_text(obj.title_template, context)
            body = render_text(obj.body_template, context)
        except TemplateProblem as exc:
            return format_html('<span style="color:#b00">{}</span>', str(exc))
        return format_html('<div style="max-width:40em"><h3 style="text-align:center">{}</h3>'
                           '<p>{}：</p>{}<p style="text-align:right">{}<br>{}</p></div>',
                           title, context["department"]["name"], linebreaks(body), obj.authority,
                           context["issue_date_cn"])


@admin.register(m.DocumentSequence)
class DocumentSequenceAdmin(ReadOnlyAdmin):
    list_display = ["doc_type", "year", "last_number"]
    list_filter = ["doc_type", "year"]


@admin.register(m.OfficialDocument)
class OfficialDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "addressee", "issued_by", "issued_at"]
    list_filter = ["doc_type", "year"]
    search_fields = ["number", "title"]
    date_hierarchy = "issued_at"
