from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gpvoice.core"
    label = "core"
    verbose_name = "Groups, membership and audit"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            privacy,  # noqa: F401 - registers personal data with core.personal_data
        )
