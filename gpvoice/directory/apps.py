from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "gpvoice.directory"
    label = "directory"
    verbose_name = "Directory and NHS reference data"

    def ready(self) -> None:
        from . import privacy  # noqa: F401 - registers personal data with core.personal_data
