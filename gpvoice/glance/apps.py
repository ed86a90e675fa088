from django.apps import AppConfig


class GlanceConfig(AppConfig):
    name = "gpvoice.glance"
    label = "glance"
    verbose_name = "At a glance"

    def ready(self) -> None:
        from . import api, panels  # noqa: F401 - panels links the glance pages from the group's home

        api.register()  # the public page's JSON and signed statement on gpvoice.api.api
