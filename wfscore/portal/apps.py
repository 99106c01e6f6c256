from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wfscore.portal"
    label = "portal"
    verbose_name = "信息化情况采集系统"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wfscore.portal import audit  # noqa: F401  (connects the login signals)
