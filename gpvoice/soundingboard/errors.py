"""The sounding board's refusal, shared by its services and its status moves."""


class SoundingBoardError(Exception):
    """A refusal with a message fit to show the person who asked."""
