"""Per-client limits on expensive requests, counted in fixed windows in the database (so every
gunicorn worker shares them): `hit()` counts one go and says how long to wait when over."""

import datetime
import math

from django.db import IntegrityError, router, transaction
from django.db.models import F
from django.utils import timezone

from leeds_communities.models import RateLimitWindow
from leeds_communities.security import client_address


def client_key(request) -> str:
    """Who is asking: the signed-in user, or else the client's address (through the trusted
    proxies, as for sign-in throttling)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{client_address(request)}"


def hit(key: str, *, limit: int, period: int, now=None) -> int | None:
    """Count one go for `key`; None if it is within `limit` per `period` seconds, else the
    seconds until the window ends (the Retry-After)."""
    now = now or timezone.now()
    start = datetime.datetime.fromtimestamp(now.timestamp() // period * period, tz=datetime.UTC)
    # The count is read back from where it was written: never a replica behind it.
    using = router.db_for_write(RateLimitWindow)
    windows = RateLimitWindow.objects.db_manager(using)
    with transaction.atomic(using=using):
        updated = windows.filter(key=key, window_start=start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic(using=using):
                    windows.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another worker opened the window first
                windows.filter(key=key, window_start=start).update(count=F("count") + 1)
            else:
                # A new window: forget those that ended a day ago.
                windows.filter(window_start__lt=now - datetime.timedelta(days=1)).delete()
        count = windows.get(key=key, window_start=start).count
    if count <= limit:
        return None
    end = start + datetime.timedelta(seconds=period)
    return max(1, math.ceil((end - now).total_seconds()))
