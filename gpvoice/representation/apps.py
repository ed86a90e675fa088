from django.apps import AppConfig


class RepresentationConfig(AppConfig):
    name = "gpvoice.representation"
    label = "representation"
    verbose_name = "Representation and positions"

    def ready(self) -> None:
        from . import (  # noqa: F401 - registers the agenda source, glance sections, home panel, to-dos, data
            agenda,
            glance,
            panels,
            privacy,
        )
        from .jobs import register

        register()
