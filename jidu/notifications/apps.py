from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jidu.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        from django.db.models import Q

        from jidu.notifications import models as m
        from jidu.org import scope

        # An inbox is personal: pages use services.inbox(user) (the user's own rows only), never
        # the department scope. Registered so a generic listing through scope sees nothing.
        scope.register(m.Notification, lambda depts: Q(pk__in=[]))
