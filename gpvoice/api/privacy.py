"""The API's personal data (core.personal_data): who created each partner token."""

from gpvoice.core import personal_data as pd

from .models import ApiToken

pd.register(
    ApiToken,
    find=pd.by(user=["created_by"]),
    export=("name", "group", "scope", "created_at", "expires_at", "revoked_at"),
    erase=pd.keep,
    erasure="Kept (who issued a partner system's access is part of the group's record), under the pseudonym.",
)
