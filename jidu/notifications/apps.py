from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jidu.notifications"
    label = "notifications"
    verbose_name = "消息通知"
