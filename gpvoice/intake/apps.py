from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "gpvoice.intake"
    label = "intake"
    verbose_name = "Single point of access"

    def ready(self) -> None:
        from . import (  # noqa: F401 - panels registers the home-page panel, privacy its personal data
            api,
            jobs,
            panels,
            privacy,
        )

        jobs.register()  # scheduled work (gpvoice.jobs.schedule)
        from . import agenda

        agenda.register()  # what it offers meeting agendas (gpvoice.core.agenda)
        api.register()  # the partner-system operations on gpvoice.api.api
        from . import glance

        glance.register()  # its sections of the glance pages (gpvoice.core.glance)
