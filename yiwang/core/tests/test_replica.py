"""The read replica (yiwang.core.db): dashboards read a real hot standby of the test run's PostgreSQL; a user
who just wrote reads the primary; a standby stopped or lagging past the bound sends the reads to the primary.

The PostgreSQL run (`make test-postgres`) starts the standby once (`pg_basebackup -R`, streaming: the test
databases of every xdist worker are on it too) for this module's worker; on SQLite those tests are skipped.
What the standby holds is only what the primary committed, hence `demo_tx` (real commits)."""

import copy
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from yiwang.core import db
from yiwang.testing.factories import applicant, register_case, village

ON_POSTGRES = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="the read replica is a PostgreSQL hot standby")


def this_year() -> str:
    today = timezone.localdate()
    return f"start={today.year}-01-01&end={today:%Y-%m-%d}"


STATS = "/api/v1/stats/cases/?area=330903&{}"


def new_case() -> dict:
    return {"channel": "phone", "dispute_type": "neighbourhood", "area": village(), "facts": "楼上漏水",
            "claims": "赔偿", "applicants": [applicant()]}


def test_without_a_replica_reads_and_writes_go_where_they_always_went(cast):
    assert not db.replica_configured()
    router = db.ReplicaRouter()
    from yiwang.cases.models import Case

    assert router.db_for_read(Case) is None and router.db_for_write(Case) is None
    assert db.replica_reads(lambda: db.choose_read_alias())() == "default"
    staff = cast.api("putuo_staff")
    response = staff.post("/api/v1/cases/", new_case(), format="json")
    assert response.status_code == 201, response.content
    assert db.WROTE_COOKIE not in response.cookies
    assert staff.get(STATS.format(this_year())).status_code == 200


def test_a_replica_beside_sqlite_is_refused_at_start():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:", "DATABASE_REPLICA_URL": "postgres://u@127.0.0.1/x",
           "DJANGO_SETTINGS_MODULE": "yiwang.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and "both must be postgres:// URLs" in result.stderr


# --- With a real standby ----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def standby(django_db_setup, django_db_blocker):
    """The standby, and the `replica` alias on this worker's test database there: a test mirror of
    `default` (unused, so every other test reads as before) except inside the `replica` fixture."""
    from yiwang.testing.servers import pg_standby

    with pg_standby(connections["default"].settings_dict) as server:
        conf = copy.deepcopy(connections["default"].settings_dict)
        conf.update(HOST="127.0.0.1", PORT=str(server.port))
        conf["TEST"]["MIRROR"] = "default"
        connections.settings[db.REPLICA] = conf
        try:
            yield server
        finally:
            connections[db.REPLICA].close()
            del connections.settings[db.REPLICA]


class Replica:
    """The `replica` alias on the standby, and what its connection was asked."""

    def __init__(self, standby):
        self.standby = standby
        self.queries: list[str] = []

    def record(self, execute, sql, params, many, context):
        self.queries.append(sql)
        return execute(sql, params, many, context)

    def catch_up(self) -> None:
        """Until the standby has replayed every commit made so far (the test cluster commits
        asynchronously: its WAL may not even be written yet, hence the insert position)."""
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            self.standby.wait_for_replay(cursor.fetchone()[0])

    def standby_sql(self, sql: str):
        with self.standby.connect() as connection:
            return connection.execute(sql).fetchone()

    def read_stats(self, client) -> tuple[int, bool]:
        """(cases received this year in the district, whether the replica's connection was used)."""
        before = len(self.queries)
        response = client.get(STATS.format(this_year()))
        assert response.status_code == 200, response.content
        return response.json()["received"], len(self.queries) > before


@pytest.fixture
def replica(standby, demo_tx, settings):
    conf = connections.settings[db.REPLICA]
    conf["TEST"]["MIRROR"] = None  # a server of its own for this test (not flushed: it is read-only)
    settings.REPLICA_MAX_LAG_SECONDS = 60
    settings.REPLICA_CHECK_SECONDS = 3600  # measured again only when a test (or a failure) forgets it
    settings.READ_OWN_WRITES_SECONDS = 30
    db.forget_replica_health()
    replica = Replica(standby)
    try:
        with connections[db.REPLICA].execute_wrapper(replica.record):
            yield replica
    finally:
        connections[db.REPLICA].close()
        conf["TEST"]["MIRROR"] = "default"
        db.forget_replica_health()
        cache.clear()  # the writers remembered


def with_standby(test):
    """PostgreSQL only, in the one worker that starts the standby, with real commits."""
    for mark in (needs_postgres, pytest.mark.xdist_group("pg_standby"),
                 pytest.mark.django_db(transaction=True, databases=["default", db.REPLICA])):
        test = mark(test)
    return test


@with_standby
def test_dashboards_read_the_standby_and_a_writer_reads_what_they_wrote(replica, cast, settings):
    leader, staff = cast.api("putuo_leader"), cast.api("putuo_staff")
    register_case(by="putuo_staff", area=village())
    replica.catch_up()
    received, on_replica = replica.read_stats(leader)
    assert on_replica and db.replica_health().ok
    assert connections[db.REPLICA].cursor().execute("SELECT pg_is_in_recovery()").fetchone() == (True,)

    # Replay paused: what the primary commits now is visible only there.
    replica.standby_sql("SELECT pg_wal_replay_pause()")
    try:
        written = staff.post("/api/v1/cases/", new_case(), format="json")
        assert written.status_code == 201, written.content
        assert db.WROTE_COOKIE in written.cookies
        db.forget_replica_health()
        assert replica.read_stats(leader) == (received, True)  # behind, within the 60 s bound: the standby
        assert replica.read_stats(staff) == (received + 1, False)  # the writer: the primary
        staff.cookies.clear()  # an API client that keeps no cookie: remembered in the cache
        assert replica.read_stats(staff) == (received + 1, False)

        settings.REPLICA_MAX_LAG_SECONDS = 0  # the same lag, now past the bound: the primary
        db.forget_replica_health()
        assert replica.read_stats(leader) == (received + 1, False)
        health = db.replica_health()
        assert not health.ok and health.lag > 0 and "lagging" in health.reason
    finally:
        replica.standby_sql("SELECT pg_wal_replay_resume()")
    # Back within a bound: the other test workers keep writing to the same cluster, so the standby can be a
    # few milliseconds behind again by the time it is checked.
    settings.REPLICA_MAX_LAG_SECONDS = 60
    replica.catch_up()
    db.forget_replica_health()
    assert replica.read_stats(leader) == (received + 1, True)  # replayed: the standby again
    assert db.replica_health().ok

    # A server that is not in recovery (the primary itself, a promoted standby) is never read as a replica.
    conf, port = connections.settings[db.REPLICA], connections.settings[db.REPLICA]["PORT"]
    connections[db.REPLICA].close()
    conf["PORT"] = connections["default"].settings_dict["PORT"]
    try:
        db.forget_replica_health()
        assert replica.read_stats(leader) == (received + 1, False)
        assert "not a standby" in db.replica_health().reason
    finally:
        conf["PORT"] = port


@with_standby
def test_a_stopped_standby_sends_the_dashboards_to_the_primary(replica, cast):
    leader, page = cast.api("putuo_leader"), cast.client("putuo_leader")
    register_case(by="putuo_staff", area=village())
    replica.catch_up()
    received, on_replica = replica.read_stats(leader)
    assert on_replica
    replica.standby.stop()
    try:
        # Still "healthy" in the cache: the query on the dead connection fails and runs again on the primary.
        assert db.replica_health().ok
        assert replica.read_stats(leader)[0] == received
        health = db.replica_health()  # the failure made it measure again
        assert not health.ok and "unreachable" in health.reason
        assert replica.read_stats(leader)[0] == received
        today = timezone.localdate()
        assert page.get(f"/stats/330903/?{this_year()}").status_code == 200
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        assert page.get(f"/stats/330903/month/{last_month:%Y-%m}.pdf").status_code == 200
        assert page.get("/grids/board/330903/").status_code == 200
    finally:
        replica.standby.start()
