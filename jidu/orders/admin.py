from django.contrib import admin

from jidu.core.admin import ReadOnlyAdmin
from jidu.orders.models import Source, WorkOrder


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    """Read-only view for administrators; personal data is not shown here (use the order page)."""

    list_display = ["order_no", "source", "order_type", "status", "received_at", "lead_department", "area"]
    list_filter = ["status", "order_type", "source"]
    search_fields = ["order_no", "title"]
    exclude = ["caller_name", "caller_phone", "caller_id_number", "caller_phone_index"]
    date_hierarchy = "received_at"
