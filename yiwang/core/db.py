"""Reads from a PostgreSQL read replica (a hot standby), for the code that asks for it.

Everything goes to the primary (`default`) unless it runs under `replica_reads` (a view decorator, or a
wrapper around a function: dashboards, statistics, exports and reports). There, reads go to the `replica`
alias (DATABASE_REPLICA_URL) unless

- no replica is configured (SQLite, a single PostgreSQL, a test run: nothing changes),
- the replica is unreachable, is not a standby, or is more than REPLICA_MAX_LAG_SECONDS behind the
  primary: measured at most every REPLICA_CHECK_SECONDS per process, the answer cached in between;
- the user wrote within the last READ_OWN_WRITES_SECONDS: `ReadOwnWritesMiddleware` remembers a
  successful unsafe request (POST, PUT, PATCH, DELETE) in a signed cookie and, for API clients that keep
  no cookie, in the cache (shared by every app server once Redis is configured); that user reads the
  primary and so sees what they just wrote.

Writes always go to the primary. A database error while reading the replica (the standby stopped between
two checks, a query cancelled by recovery) runs the function once more on the primary: it only reads.

Lag: the primary's written WAL position is read first, then the standby's replayed one. At or past it,
the lag is 0 (an idle primary is not "behind"); short of it, the lag is the age of the last transaction
the standby replayed, which is never less than how stale it really is. (A primary that commits
asynchronously writes its WAL up to 3 × wal_writer_delay late; such commits are missed for that long.)
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
PRIMARY_ONLY_APPS = {"sessions"}  # a session first read inside a view must be the latest one

_alias: ContextVar[str | None] = ContextVar("yiwang_read_alias", default=None)
_request: ContextVar[object | None] = ContextVar("yiwang_request", default=None)


def replica_configured() -> bool:
    """A replica alias that is a server of its own (a test run's mirror of `default` is not one)."""
    conf = connections.settings.get(REPLICA)
    return conf is not None and not (conf.get("TEST") or {}).get("MIRROR")


# --- Health: reachable, a standby, lag within the bound; cached per process ---------------------------

@dataclass(frozen=True)
class Health:
    ok: bool
    lag: float | None  # seconds behind the primary, when known
    reason: str
    checked: float  # time.monotonic()


STANDBY_QUERY = """
SELECT pg_is_in_recovery(),
       COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, false),
       EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8
"""
_LIBPQ_IGNORED = ("isolation_level", "pool", "server_side_binding", "assume_role", "cursor_factory")

_health: Health | None = None
_health_lock = threading.Lock()


def _connect_replica():
    import psycopg

    conf = connections.settings[REPLICA]
    params = {"dbname": conf["NAME"], "user": conf.get("USER"), "password": conf.get("PASSWORD"),
              "host": conf.get("HOST"), "port": conf.get("PORT")}
    params = {key: value for key, value in params.items() if value}
    options = {key: value for key, value in (conf.get("OPTIONS") or {}).items() if key not in _LIBPQ_IGNORED}
    options.setdefault("connect_timeout", 2)
    return psycopg.connect(autocommit=True, **params, **options)


def measure_replica() -> Health:
    """Ask the primary where its WAL is, then the replica (on a connection of its own) how far it got."""
    now = time.monotonic()
    bound = settings.REPLICA_MAX_LAG_SECONDS
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (primary_lsn,) = cursor.fetchone()
        with _connect_replica() as connection:
            in_recovery, caught_up, age = connection.execute(STANDBY_QUERY, [primary_lsn]).fetchone()
    except Exception as error:  # unreachable, refused, timed out: any failure means "read the primary"
        return Health(False, None, f"unreachable: {error.__class__.__name__}: {error}".strip(), now)
    if not in_recovery:
        return Health(False, None, "not a standby (promoted, or the primary itself)", now)
    lag = 0.0 if caught_up else age  # None: short of the primary and no transaction replayed yet
    if lag is None or lag > bound:
        shown = "?" if lag is None else f"{lag:.1f}"
        return Health(False, lag, f"lagging {shown} s behind the primary (bound {bound} s)", now)
    return Health(True, lag, "streaming", now)


def replica_health(*, force: bool = False) -> Health:
    """The cached answer, measured again when older than REPLICA_CHECK_SECONDS (or when forced)."""
    global _health

    def fresh(health):
        return health is not None and time.monotonic() - health.checked < settings.REPLICA_CHECK_SECONDS

    if not force and fresh(_health):
        return _health
    with _health_lock:
        if force or not fresh(_health):
            previous, _health = _health, measure_replica()
            if not _health.ok and (previous is None or previous.ok):
                logger.warning("Read replica not used: %s", _health.reason)
        return _health


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
    """Makes the request known to `replica_reads` and remembers a user's successful writes.
    Without a replica it does nothing."""

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
def _reading(alias: str):
    token = _alias.set(alias)
    try:
        yield alias
    finally:
        _alias.reset(token)


def replica_reads(function):
    """Run `function` (a read-only view, a viewset's method, a report's maker) with its reads on the
    replica when it may be used; a database error there runs it once more on the primary. On a view,
    put it below @login_required: the user is found on the primary first."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        alias = choose_read_alias()
        if alias == REPLICA:
            try:
                with _reading(REPLICA):
                    return function(*args, **kwargs)
            except (OperationalError, InterfaceError) as error:
                logger.warning("Read replica failed in %s, reading the primary: %s",
                               getattr(function, "__qualname__", function), error)
                with contextlib.suppress(Exception):
                    connections[REPLICA].close()
                forget_replica_health()
        with _reading(DEFAULT_DB_ALIAS):
            return function(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Reads under `replica_reads` go where it chose; every write, migration and any other read goes to
    the primary. Without a replica configured, it leaves Django's defaults alone."""

    def db_for_read(self, model, **hints):
        alias = _alias.get()
        if alias is None:
            return DEFAULT_DB_ALIAS if replica_configured() else None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
