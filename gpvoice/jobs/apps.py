from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "gpvoice.jobs"
    label = "jobs"
    verbose_name = "Background work"
