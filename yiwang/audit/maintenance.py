"""The one way past the audit log's DELETE/TRUNCATE triggers: emptying a *test* database between tests.

Django's test flush (TransactionTestCase, pytest-django's `transaction=True` and live-server tests) empties
every table: `DELETE FROM` on SQLite, one `TRUNCATE … CASCADE` on PostgreSQL. The triggers let that through
only while maintenance is on for the statement's own connection:

- PostgreSQL: the trigger function reads the session setting `yiwang.audit_maintenance`; the flush hook
  prefixes the flush with `SET LOCAL yiwang.audit_maintenance = 'on'`, which lasts until the end of the
  flush's own transaction and nothing longer.
- SQLite: the trigger calls the SQL function `yiwang_audit_maintenance()`, which this module registers on
  each of the application's connections and which answers 1 only inside `maintenance()` in this thread.
  Another program opening the file (the sqlite3 shell) has no such function: its DELETE fails.

`install_flush_hook()` is called by the tests' conftest only; nothing in the application turns maintenance
on. What the setting cannot stop (the role that owns the table can drop the trigger) is left to the
database's grants (README "Audit trail") and is in any case caught by the hash chain and the anchors.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db.backends.signals import connection_created

SQL_FUNCTION = "yiwang_audit_maintenance"
PG_SETTING = "yiwang.audit_maintenance"
_state = threading.local()


def is_on() -> int:
    return 1 if getattr(_state, "on", False) else 0


@contextmanager
def maintenance():
    previous = getattr(_state, "on", False)
    _state.on = True
    try:
        yield
    finally:
        _state.on = previous


def register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 0, is_on)


def connect() -> None:
    """From AuditConfig.ready(): every new SQLite connection knows the function the triggers call."""
    connection_created.connect(register_sqlite_function, dispatch_uid="yiwang.audit.maintenance")


def install_flush_hook(connection) -> None:
    """Let the test flush of every connection of `connection`'s backend empty the audit log (tests only).
    Patched on the backend's operations class, not the one wrapper: Django makes a new wrapper per thread and
    per async context (a Playwright test's teardown flushes through another one)."""
    ops_class = type(connection.ops)
    if getattr(ops_class, "_yiwang_audit_flush_hook", False):
        return
    original = ops_class.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        if self.connection.vendor == "postgresql":
            sql_list = [f"SET LOCAL {PG_SETTING} = 'on'", *sql_list]
        with maintenance():
            return original(self, sql_list)

    ops_class.execute_sql_flush = execute_sql_flush
    ops_class._yiwang_audit_flush_hook = True
