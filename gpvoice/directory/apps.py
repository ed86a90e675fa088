from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "gpvoice.directory"
    label = "directory"
    verbose_name = "Directory and NHS reference data"

    def ready(self) -> None:
        from . import (
            footprint,  # noqa: F401 - keeps FootprintPractice in step with ORM writes
            privacy,  # noqa: F401 - registers personal data with core.personal_data
        )
