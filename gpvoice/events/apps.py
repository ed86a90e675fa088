from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "gpvoice.events"
    label = "events"
    verbose_name = "Sessions and events"

    def ready(self) -> None:
        from . import (  # noqa: F401 - registers panels, to-dos, glance sections, engagement, personal data
            glance,
            jobs,
            panels,
            privacy,
        )

        jobs.register()
