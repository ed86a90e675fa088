"""The one refusal every ballot service raises."""


class BallotError(Exception):
    """A refusal with a message fit to show the person who asked."""
