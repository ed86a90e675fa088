from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "gpvoice.directory"
    label = "directory"
    verbose_name = "Directory and NHS reference data"
