#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster: `with_postgres.py CMD ARGS…`.

Starts a private cluster in a temporary directory on 127.0.0.1 and a free port, exports DATABASE_URL
for the command, and stops and removes the cluster afterwards whatever the command's result.
As root (initdb refuses root) the cluster runs as the `postgres` system user, or `nobody`.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def find_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if not candidates:
        sys.exit(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return candidates[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    command = sys.argv[1:]
    if not command:
        sys.exit(__doc__)
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        name = "postgres"
        try:
            owner = pwd.getpwnam(name)
        except KeyError:
            owner = pwd.getpwnam("nobody")
            name = "nobody"
        as_user = ["runuser", "-u", name, "--"]
    root = tempfile.mkdtemp(prefix="yiwang-pg-")
    data, sockets = os.path.join(root, "data"), os.path.join(root, "run")
    os.makedirs(sockets)
    if owner is not None:
        for path in (root, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = free_port()
    log = os.path.join(root, "server.log")
    try:
        subprocess.run(
            [*as_user, initdb, "-D", data, "-U", "yiwang", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=256MB"
        )
        subprocess.run([*as_user, pg_ctl, "-D", data, "-o", options, "-l", log, "-w", "start"],
                       check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, DATABASE_URL=f"postgres://yiwang@127.0.0.1:{port}/postgres")
        started = time.monotonic()
        result = subprocess.run(command, env=env)
        print(f"(PostgreSQL run took {time.monotonic() - started:.0f} s)", file=sys.stderr)
        return result.returncode
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", data, "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
