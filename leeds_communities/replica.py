"""An optional read replica for pages that only read.

With `DATABASE_REPLICA_URL` set, GET and HEAD requests to the read-only sections (dashboards,
neighbourhoods, the register's lists) read from the replica; everything else, and every write,
uses the primary. An officer who has just saved a return reads their own pages from the primary,
so nobody sees their own change "disappear" behind replication lag.
"""

import contextvars
import time

READ_ONLY_PREFIXES = ("/dashboards/", "/neighbourhoods/", "/boards/", "/meetings/")
# A session that wrote within this many seconds keeps reading from the primary.
STICKY_SECONDS = 30

_use_replica = contextvars.ContextVar("use_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _use_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wrote_at = request.session.get("wrote_at", 0) if hasattr(request, "session") else 0
        read_only = (
            request.method in ("GET", "HEAD")
            and request.path.startswith(READ_ONLY_PREFIXES)
            and time.time() - wrote_at > STICKY_SECONDS
        )
        token = _use_replica.set(read_only)
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and hasattr(request, "session"):
            request.session["wrote_at"] = time.time()
        return response
