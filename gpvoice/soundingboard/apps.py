from django.apps import AppConfig


class SoundingBoardConfig(AppConfig):
    name = "gpvoice.soundingboard"
    label = "soundingboard"
    verbose_name = "Sounding board"

    def ready(self) -> None:
        from . import (  # noqa: F401 - registers the home panel, to-do, practice record, personal data, retention
            panels,
            privacy,
        )
