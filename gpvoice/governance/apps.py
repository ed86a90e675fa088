from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "gpvoice.governance"
    label = "governance"
    verbose_name = "Membership, mandate and delegation"

    def ready(self) -> None:
        from . import (
            aggregates,  # noqa: F401 - keeps mandate coverage in step with footprints
            engagement_signals,  # noqa: F401 - tells the engagement view (core.engagement)
            jobs,
            panels,  # noqa: F401 - registers the home-page panels
            privacy,  # noqa: F401 - registers personal data with core.personal_data
        )

        jobs.register()  # scheduled work (gpvoice.jobs.schedule)
        from . import agenda

        agenda.register()  # what it offers meeting agendas (gpvoice.core.agenda)
        from . import glance_dashboard, glance_public, glance_record

        glance_public.register()  # its sections of the glance pages (gpvoice.core.glance)
        glance_dashboard.register()
        glance_record.register()
