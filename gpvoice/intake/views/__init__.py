from .officers import categories, detail, download, queue, service_levels
from .public import front_door, sent, track, track_download, verify

__all__ = [
    "categories",
    "detail",
    "download",
    "front_door",
    "queue",
    "sent",
    "service_levels",
    "track",
    "track_download",
    "verify",
]
