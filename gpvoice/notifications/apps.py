from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "gpvoice.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from . import (
            jobs,
            privacy,  # noqa: F401 - registers personal data with core.personal_data
        )

        jobs.register()  # scheduled work (gpvoice.jobs.schedule)
