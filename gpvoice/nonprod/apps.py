from django.apps import AppConfig


class NonprodConfig(AppConfig):
    name = "gpvoice.nonprod"
    label = "nonprod"
    verbose_name = "Demo data (never in production)"

    def ready(self) -> None:
        from gpvoice.core import scale

        from .scale.ballots import load_ballots
        from .scale.events import load_events
        from .scale.mandate import load_mandate
        from .scale.representation import load_representation

        # Each capability's volume for `gpvoice load-scale` (see gpvoice.core.scale).
        scale.register("mandate", load_mandate)
        scale.register("ballots", load_ballots)
        scale.register("events", load_events)
        scale.register("representation", load_representation)
