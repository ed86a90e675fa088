from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gpvoice.api"
    label = "api"
    verbose_name = "API and partner tokens"
