from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "gpvoice.meetings"
    label = "meetings"
    verbose_name = "Meetings and actions"

    def ready(self) -> None:
        from . import (  # noqa: F401 - registers the home panel, the actions agenda source, engagement signals, personal data
            agenda,
            engagement_signals,
            glance,
            panels,
            privacy,
        )

        glance.register()  # its sections of the glance pages (gpvoice.core.glance)
