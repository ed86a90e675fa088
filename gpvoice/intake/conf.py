"""The single point of access's settings, each with a default a deployment may override."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    if type(value) is not int or value < 0:
        raise ValueError(f"settings.{name} must be a whole number of 0 or more.")
    return value


def max_file_bytes() -> int:
    return _int("INTAKE_MAX_FILE_BYTES", 10 * 1024 * 1024)


def max_files() -> int:
    return _int("INTAKE_MAX_FILES", 5)


def verify_within() -> timedelta:
    return timedelta(hours=_int("INTAKE_VERIFY_HOURS", 24))


def tracking_after_close() -> timedelta:
    return timedelta(days=_int("INTAKE_TRACKING_DAYS_AFTER_CLOSE", 90))


def reopen_within() -> timedelta:
    return timedelta(days=_int("INTAKE_REOPEN_DAYS", 14))


def rate_per_ip() -> int:
    return _int("INTAKE_RATE_PER_IP_PER_HOUR", 10)


def rate_per_email() -> int:
    return _int("INTAKE_RATE_PER_EMAIL_PER_HOUR", 5)


def warn_working_days() -> int:
    """Officers are emailed when a request is this many working days (or fewer) from its due date."""
    return _int("INTAKE_WARN_WORKING_DAYS", 2)


ALLOWED_TYPES = {
    # extension: (content type, how the file must begin)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain", (b"",)),
}
