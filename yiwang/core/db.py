"""Reads from a PostgreSQL read replica (a hot standby), for the code that asks for it.

Everything goes to the primary (`default`) unless it runs inside `reading_from_replica()` (a context
manager, or `@replica_reads` on a view), which dashboards, statistics, exports and reports use. Inside it,
reads go to the `replica` alias (DATABASE_REPLICA_URL) unless

- no replica is configured (SQLite, a single PostgreSQL: nothing changes),
- the replica is unreachable, is not a standby, does not stream from the primary, or lags more than
  YIWANG_REPLICA_MAX_LAG seconds behind it: checked at most every YIWANG_REPLICA_CHECK_SECONDS per
  process, the answer cached in between;
- the user wrote within the last YIWANG_READ_OWN_WRITES_SECONDS: `ReadOwnWritesMiddleware` remembers a
  successful unsafe request (POST, PUT, PATCH, DELETE) in a signed cookie and, for API clients that keep
  no cookie, in the cache (shared by every app server once Redis is configured), so they read their own
  writes from the primary.

Writes always go to the primary. A view under `@replica_reads` that fails on the replica with a database
error (the standby stopped, a query cancelled by recovery) is run once more on the primary: it only reads.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
WROTE_COOKIE = "yiwang_wrote"
_COOKIE_SALT = "yiwang.core.db.wrote"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
PRIMARY_ONLY_APPS = {"sessions"}  # the session is read before the view and must see the latest login

_alias: ContextVar[str | None] = ContextVar("yiwang_read_alias", default=None)
_request: ContextVar[object | None] = ContextVar("yiwang_request", default=None)


def replica_configured() -> bool:
    """A replica alias that is a real server (a test mirror of `default` is not one)."""
    if REPLICA not in connections.settings:
        return False
    return not connections.settings[REPLICA].get("TEST", {}).get("MIRROR")


# --- Health: reachable, a streaming standby, lag within the bound; cached per process ------------------

@dataclass(frozen=True)
class Health:
    ok: bool
    lag: float | None  # seconds behind the primary; 0 when it has replayed all it received
    reason: str
    checked: float  # time.monotonic()


LAG_QUERY = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'),
       pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn(),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""

_health: Health | None = None
_health_lock = threading.Lock()


def _connect_replica():
    import psycopg

    conf = connections.settings[REPLICA]
    options = {key: value for key, value in (conf.get("OPTIONS") or {}).items()
               if key not in ("isolation_level", "pool", "server_side_binding", "assume_role")}
    options.setdefault("connect_timeout", 3)
    params = {"dbname": conf["NAME"], "user": conf.get("USER") or None, "password": conf.get("PASSWORD") or None,
              "host": conf.get("HOST") or None, "port": conf.get("PORT") or None}
    return psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v is not None}, **options)


def measure_replica() -> Health:
    """Ask the replica, on a connection of its own (outside any transaction of the request)."""
    now = time.monotonic()
    try:
        with _connect_replica() as connection:
            in_recovery, streaming, caught_up, behind = connection.execute(LAG_QUERY).fetchone()
    except Exception as error:  # unreachable, refused, timed out: any failure means "read the primary"
        return Health(False, None, f"unreachable: {error.__class__.__name__}: {error}".strip(), now)
    if not in_recovery:
        return Health(False, None, "not a standby (promoted, or the primary itself)", now)
    if not streaming:
        return Health(False, None, "not streaming from the primary", now)
    # Idle primary: nothing to replay means no lag, however old the last replayed transaction is.
    lag = 0.0 if caught_up else (float(behind) if behind is not None else None)
    if lag is None or lag > settings.REPLICA_MAX_LAG:
        return Health(False, lag, f"lagging {lag if lag is not None else '?'} s (bound {settings.REPLICA_MAX_LAG} s)",
                      now)
    return Health(True, lag, "streaming", now)


def replica_health(*, force: bool = False) -> Health:
    """The cached answer, measured again when older than REPLICA_CHECK_SECONDS (or when forced)."""
    global _health
    current = _health
    if not force and current is not None and time.monotonic() - current.checked < settings.REPLICA_CHECK_SECONDS:
        return current
    with _health_lock:
        current = _health
        if force or current is None or time.monotonic() - current.checked >= settings.REPLICA_CHECK_SECONDS:
            previous, current = current, measure_replica()
            if not current.ok and (previous is None or previous.ok):
                logger.warning("Read replica not used: %s", current.reason)
            _health = current
    return current


def forget_replica_health() -> None:
    """Measure again at the next read (after a failure on the replica, and for tests)."""
    global _health
    _health = None


# --- Reading one's own writes -------------------------------------------------------------------------

def _wrote_key(user_id) -> str:
    return f"yiwang:wrote:{user_id}"


def wrote_recently(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    seconds = settings.READ_OWN_WRITES_SECONDS
    if request.get_signed_cookie(WROTE_COOKIE, default=None, salt=_COOKIE_SALT, max_age=seconds) == str(user.pk):
        return True
    return bool(cache.get(_wrote_key(user.pk)))


def remember_write(request, response) -> None:
    user = getattr(request, "user", None)
    seconds = settings.READ_OWN_WRITES_SECONDS
    if user is None or not user.is_authenticated or seconds <= 0:
        return
    cache.set(_wrote_key(user.pk), 1, timeout=seconds)
    response.set_signed_cookie(WROTE_COOKIE, str(user.pk), salt=_COOKIE_SALT, max_age=seconds, httponly=True,
                               samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


class ReadOwnWritesMiddleware:
    """Makes the request known to `reading_from_replica()` and remembers a user's successful writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            remember_write(request, response)
        return response


# --- Choosing, and the router ---------------------------------------------------------------------------

def choose_read_alias() -> str:
    if not replica_configured():
        return DEFAULT_DB_ALIAS
    request = _request.get()
    if request is not None and wrote_recently(request):
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_health().ok else DEFAULT_DB_ALIAS


@contextlib.contextmanager
def reading_from_replica():
    """Reads inside go to the replica when it may be used (see the module's note); yields the alias."""
    alias = choose_read_alias()
    token = _alias.set(alias)
    try:
        yield alias
    finally:
        _alias.reset(token)


@contextlib.contextmanager
def reading_from_primary():
    token = _alias.set(DEFAULT_DB_ALIAS)
    try:
        yield DEFAULT_DB_ALIAS
    finally:
        _alias.reset(token)


def replica_reads(view):
    """`reading_from_replica()` around a read-only view (or a viewset's method); a database error on the
    replica runs it once more on the primary. Put it below @login_required: the user is found first."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with reading_from_replica() as alias:
            if alias != REPLICA:
                return view(*args, **kwargs)
            try:
                return view(*args, **kwargs)
            except (OperationalError, InterfaceError) as error:
                logger.warning("Read replica failed during %s, read again from the primary: %s",
                               getattr(view, "__qualname__", view), error)
                with contextlib.suppress(Exception):
                    connections[REPLICA].close()
                forget_replica_health()
        with reading_from_primary():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Reads inside `reading_from_replica()` go where it chose; every write, migration and everything else
    goes to the primary. Without a replica configured, it leaves Django's defaults alone."""

    def db_for_read(self, model, **hints):
        alias = _alias.get()
        if alias is None:
            return DEFAULT_DB_ALIAS if replica_configured() else None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
