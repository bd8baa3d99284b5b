"""Aggregates of returns kept in Django's cache until the data under them changes.

A dashboard's counts for a quarter change only when a return is recorded (`status.keep_latest`)
or a record they are counted from changes (an output, plan, programme, quarter, board,
organisation or area target): each of those calls `changed()`, which moves the data's **epoch**
on once its transaction commits. A cached aggregate is filed under the epoch it was computed in,
so after any change the next page computes afresh; nothing is ever shown older than the data.

The epoch lives in the cache itself, so every process reading one shared cache (the production
settings use the database cache) sees a change made by any other. `AGGREGATE_CACHE_TIMEOUT`
(seconds; 0 turns caching off) bounds how long an unused entry is kept.
"""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction

EPOCH_KEY = "actionplans:data-epoch"
_MISSING = object()


def epoch() -> int:
    value = cache.get(EPOCH_KEY)
    if value is None:
        cache.add(EPOCH_KEY, time.time_ns(), None)
        value = cache.get(EPOCH_KEY, 0)
    return value


def _bump() -> None:
    cache.set(EPOCH_KEY, time.time_ns(), None)


def changed(*args, **kwargs) -> None:
    """The data under the aggregates changed (or will, when this transaction commits). Takes any
    arguments so that it can receive a model signal directly. The epoch moves now, for this
    transaction's own later reads, and again once it commits, so that nothing another process
    computed in between (from the data before the commit) outlives it."""
    if getattr(settings, "AGGREGATE_CACHE_TIMEOUT", 0):
        _bump()
        transaction.on_commit(_bump)


def _part(value) -> str:
    """A stable description of one argument of a cached function."""
    from actionplans.quarters import Quarter

    if isinstance(value, Quarter):
        return f"Q{value.pk}:{value.year}:{value.number}:{value.state}"
    if hasattr(value, "is_authenticated"):
        # The publication rule asks only whether the reader is signed in.
        return f"U{bool(value.is_authenticated)}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_part(v) for v in value) + "]"
    return repr(value)


def cached_aggregate(function):
    """Cache `function(outputs, *args)`'s result by the selection's SQL, the arguments and the
    data's epoch. Results must be plain data (counts, lists of small objects)."""

    @functools.wraps(function)
    def wrapper(outputs, *args, **kwargs):
        timeout = getattr(settings, "AGGREGATE_CACHE_TIMEOUT", 0)
        if not timeout:
            return function(outputs, *args, **kwargs)
        try:
            sql = str(outputs.query)
        except EmptyResultSet:
            return function(outputs, *args, **kwargs)
        parts = [sql, *map(_part, args), *(f"{k}={_part(v)}" for k, v in sorted(kwargs.items()))]
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        key = f"actionplans:{function.__name__}:{epoch()}:{digest}"
        found = cache.get(key, _MISSING)
        if found is not _MISSING:
            return found
        value = function(outputs, *args, **kwargs)
        cache.set(key, value, timeout)
        return value

    return wrapper
