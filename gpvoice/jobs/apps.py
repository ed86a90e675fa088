from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "gpvoice.jobs"
    label = "jobs"
    verbose_name = "Background work"

    def ready(self) -> None:
        from . import (
            privacy,  # noqa: F401 - registers personal data with core.personal_data
            tasklog,
        )

        tasklog.connect()  # one JSON line per task
