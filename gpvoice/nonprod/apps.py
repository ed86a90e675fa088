from django.apps import AppConfig


class NonprodConfig(AppConfig):
    name = "gpvoice.nonprod"
    label = "nonprod"
    verbose_name = "Demo data (never in production)"
