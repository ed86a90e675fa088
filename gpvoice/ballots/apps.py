from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "gpvoice.ballots"
    label = "ballots"
    verbose_name = "Ballots"

    def ready(self) -> None:
        from . import (
            engagement_signals,  # noqa: F401 - tells the engagement view (core.engagement)
            jobs,
            panels,  # noqa: F401 - registers the home-page panel
            privacy,  # noqa: F401 - registers personal data with core.personal_data
        )

        jobs.register()  # scheduled work (gpvoice.jobs.schedule)
        from . import agenda

        agenda.register()  # what it offers meeting agendas (gpvoice.core.agenda)
        from . import glance

        glance.register()  # its sections of the glance pages (gpvoice.core.glance)
