from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "gpvoice.operations"
    label = "operations"
    verbose_name = "Operations: backup, restore, data protection"

    def ready(self) -> None:
        from . import (
            jobs,
            privacy,  # noqa: F401 - registers Django's own models with core.personal_data
        )

        jobs.register()  # retention, daily (gpvoice.jobs.schedule)
