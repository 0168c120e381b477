from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jidu.api import api
from jidu.core import views as core_views

admin.site.site_header = "即督快响 管理后台"
admin.site.site_title = "即督快响"
admin.site.index_title = "参考数据与配置"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orders/", include("jidu.orders.urls")),
    path("intake/", include("jidu.intake.urls")),
    path("screening/", include("jidu.screening.urls")),
    path("clues/", include("jidu.grading.urls")),
    path("jurisdiction/", include("jidu.jurisdiction.urls")),
    path("notifications/", include("jidu.notifications.urls")),
    path("supervision/", include("jidu.supervision.urls")),
    path("documents/", include("jidu.documents.urls")),
    path("directives/", include("jidu.directives.urls")),
    path("coordination/", include("jidu.coordination.urls")),
    path("dashboard/", include("jidu.dashboard.urls")),
    path("warnings/", include("jidu.warnings.urls")),
    path("reports/", include("jidu.reports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
