from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "gpvoice.priorities"
    label = "priorities"
    verbose_name = "Priority setting"

    def ready(self) -> None:
        from . import (
            agenda,
            panels,  # noqa: F401 - registers the home-page panel
            privacy,  # noqa: F401 - registers personal data with core.personal_data
        )

        agenda.register()  # what it offers meeting agendas (gpvoice.core.agenda)
        from . import glance

        glance.register()  # its sections of the glance pages (gpvoice.core.glance)
