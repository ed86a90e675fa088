from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "gpvoice.engagement"
    label = "engagement"
    verbose_name = "Engagement: consultations and bulletins"

    def ready(self) -> None:
        from . import (  # noqa: F401 - registers panels, to-do items, glance sections, signals, personal data
            glance,
            jobs,
            panels,
            privacy,
            signals,
        )

        jobs.register()  # scheduled work (gpvoice.jobs.schedule)
