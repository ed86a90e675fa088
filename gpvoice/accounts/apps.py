from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gpvoice.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        from . import privacy  # noqa: F401 - registers personal data with core.personal_data
