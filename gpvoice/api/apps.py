from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gpvoice.api"
    label = "api"
    verbose_name = "API and partner tokens"

    def ready(self) -> None:
        from . import privacy  # noqa: F401 - registers personal data with core.personal_data
