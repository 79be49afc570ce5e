"""Faults injected into a running `make cluster` (issue 21), each bounded in count and time, with a table of
what was acknowledged, found afterwards, lost and duplicated.

    scripts/cluster.py start                      # or make cluster (CLUSTER_PORT …, as for the cluster)
    python bench/faults.py [--n 10000] [--load 1000] [--rows 10000] [--only a,b,c,d,e]

(a) kill -9 one app server (gunicorn master and workers) a third of the way through N case intakes sent
    through the load balancer by C clients, each with its own Idempotency-Key; what gets no answer (or a
    5xx) is sent again with the same key; the server is started again at two thirds.
(b) kill -9 the RQ worker (and its work horse) running a bank batch of ROWS rows, once the first chunk is
    committed; `yiwang sweep` takes the job back when its heartbeat stops and the other worker resumes it.
(c) restart Redis (kill -9, then start; append-only file) during LOAD intakes.
(d) crash the PostgreSQL primary (immediate stop: no checkpoint, recovery from the WAL) and start it
    again during LOAD intakes; fsync and synchronous_commit are on.
(e) stop the replica for a while during LOAD dashboard reads (GET /api/v1/stats/cases/) and intakes;
    every read must answer 200.

"Found" counts rows in the primary afterwards: cases by their Idempotency-Key (and the marker in their
facts), a batch's rows by their line. Lost = acknowledged but not found; duplicated = found more than once.
The machine is shared: the timings are taken under load and are not the point; the counts are.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster")).resolve()


REPLICA_DOWN = 15  # seconds the standby stays stopped in (e)
CLUSTER_ENV: dict[str, str] = {}  # the running cluster's ports, from its cluster.json


def cluster(*args: str) -> None:
    """scripts/cluster.py ARGS against the running cluster (its ports, whatever this shell exports)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "cluster.py"), *args], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, **CLUSTER_ENV})


def cluster_env(config: dict) -> dict[str, str]:
    return {"CLUSTER_DIR": config["state"], "CLUSTER_PORT": str(config["port"]),
            "CLUSTER_PG_PORT": str(config["pg_port"]), "CLUSTER_REDIS_PORT": str(config["redis_port"]),
            "CLUSTER_S3_PORT": str(config["s3_port"])}


def setup_django(config: dict) -> None:
    """This process reads the cluster's primary directly (to count what is found afterwards)."""
    os.environ.update(config["env"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.settings"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.pop("DATABASE_REPLICA_URL", None)  # counts come from the primary
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ------------------------------------------------------------------------------------------ HTTP load


@dataclass
class Tally:
    acknowledged: dict[str, int] = field(default_factory=dict)  # key → case id
    retries: int = 0
    answers: dict[str, int] = field(default_factory=dict)  # status or error kind → count
    gave_up: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, what: str) -> None:
        with self.lock:
            self.answers[what] = self.answers.get(what, 0) + 1


class Client:
    def __init__(self, port: int, token: str):
        self.port, self.token, self.conn = port, token, None

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Authorization": f"Token {self.token}", "Accept": "application/json",
                       **({"Content-Type": "application/json"} if data else {}), **(headers or {})}
        try:
            self.conn.request(method, path, body=data, headers=all_headers)
            answer = self.conn.getresponse()
            content = answer.read()
            if answer.getheader("Connection", "").lower() == "close":
                self.close()
            return answer.status, content
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def intake_body(key: str, area: str) -> dict:
    return {"channel": "phone", "dispute_type": "neighbourhood", "area": area,
            "facts": f"楼上漏水导致楼下天花板受损（故障测试 {key}）", "claims": "赔偿维修费用3000元",
            "applicants": [{"name": "陈小红", "phone": "13857001234", "address": "六横镇某村12号"}],
            "respondents": [{"name": "周大伟"}]}


def send_intake(client: Client, key: str, area: str, tally: Tally, give_up_after: float = 120) -> None:
    """POST until the case is acknowledged (201), sending the same key again after no answer or a 5xx."""
    started, attempt = time.monotonic(), 0
    while time.monotonic() - started < give_up_after:
        attempt += 1
        if attempt > 1:
            with tally.lock:
                tally.retries += 1
            time.sleep(min(2.0, 0.05 * 2 ** min(attempt, 6)))
        try:
            status, content = client.request("POST", "/api/v1/cases/", intake_body(key, area),
                                             {"Idempotency-Key": key})
        except (OSError, http.client.HTTPException) as error:
            tally.saw(type(error).__name__)
            continue
        tally.saw(str(status))
        if status == 201:
            with tally.lock:
                tally.acknowledged[key] = json.loads(content)["id"]
            return
        if status < 500 and status != 429:
            raise SystemExit(f"intake {key} refused with {status}: {content[:500]!r}")
    tally.gave_up.append(key)


def run_intakes(port: int, token: str, keys: list[str], area: str, concurrency: int, tally: Tally) -> None:
    todo = list(reversed(keys))
    lock = threading.Lock()

    def worker() -> None:
        client = Client(port, token)
        while True:
            with lock:
                if not todo:
                    break
                key = todo.pop()
            send_intake(client, key, area, tally)
        client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def with_fault(load, fault_at, fault, *, progress, total: int, recover_at=None, recover=None) -> dict:
    """Run `load` in a thread; call fault() once `progress()` passes fault_at × total, recover() at recover_at."""
    marks: dict = {}
    loader = threading.Thread(target=load, daemon=True)
    started = time.monotonic()
    loader.start()
    steps = [(fault_at, fault, "fault")] + ([(recover_at, recover, "recovered")] if recover else [])
    for fraction, action, name in steps:
        while loader.is_alive() and progress() < fraction * total:
            time.sleep(0.05)
        marks[name] = (round(time.monotonic() - started, 1), progress())
        action()
    loader.join()
    marks["seconds"] = round(time.monotonic() - started, 1)
    return marks


# ------------------------------------------------------------------------------------------ counting


def count_cases(prefix: str, tally: Tally) -> dict:
    from yiwang.cases.models import Case

    found: dict[str, int] = {}
    for key, facts in Case.objects.filter(idempotency_key__startswith=prefix).values_list("idempotency_key",
                                                                                        "facts"):
        found[key] = found.get(key, 0) + 1
        marker = facts.rsplit("故障测试 ", 1)[-1].rstrip("）")
        if marker != key:
            found[f"mismatch:{key}"] = 1
    # Cases whose facts carry a marker of this run under another key (a retry that made a new case).
    by_facts = Case.objects.filter(facts__contains=f"故障测试 {prefix}").count()
    acknowledged = set(tally.acknowledged)
    return {"acknowledged": len(acknowledged), "found": len(acknowledged & set(found)),
            "lost": len(acknowledged - set(found)),
            "duplicated": sum(n - 1 for n in found.values()) + max(0, by_facts - len(found)),
            "not acknowledged": len(tally.gave_up), "retries": tally.retries,
            "answers": dict(sorted(tally.answers.items()))}


# ------------------------------------------------------------------------------------------ the faults


def fault_app_server(config, token, area, n, concurrency) -> dict:
    prefix, tally = f"fa-{uuid.uuid4().hex[:8]}-", Tally()
    keys = [f"{prefix}{i}" for i in range(n)]
    marks = with_fault(lambda: run_intakes(config["port"], token, keys, area, concurrency, tally),
                       1 / 3, lambda: cluster("kill", "app1"), progress=lambda: len(tally.acknowledged), total=n,
                       recover_at=2 / 3, recover=lambda: cluster("restart", "app1"))
    return {"fault": f"(a) kill -9 app server 1 during {n} intakes", **count_cases(prefix, tally), "marks": marks}


def fault_redis(config, token, area, n, concurrency) -> dict:
    from django.utils import timezone

    prefix, tally, since = f"fc-{uuid.uuid4().hex[:8]}-", Tally(), timezone.now()
    keys = [f"{prefix}{i}" for i in range(n)]

    def restart_redis():
        cluster("kill", "redis")
        time.sleep(3)
        cluster("restart", "redis")

    marks = with_fault(lambda: run_intakes(config["port"], token, keys, area, concurrency, tally),
                       1 / 3, restart_redis, progress=lambda: len(tally.acknowledged), total=n)
    result = count_cases(prefix, tally)
    result.update(notifications_after_sweep(since))
    return {"fault": f"(c) kill -9 and restart Redis during {n} intakes", **result, "marks": marks}


def notifications_after_sweep(since) -> dict:
    """The outbox rows written since `since` (what the intakes asked to send) and those still unsent once
    `yiwang sweep` has run: a message enqueued while Redis was down is delivered from PostgreSQL."""
    from django.core.management import call_command

    from yiwang.core.models import Notification, NotificationStatus

    call_command("sweep", stdout=open(os.devnull, "w"))  # noqa: SIM115
    written = Notification.objects.filter(created_at__gte=since)
    unsent = written.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]).count()
    return {"outbox rows written": written.count(), "outbox unsent after sweep": unsent}


def fault_primary(config, token, area, n, concurrency) -> dict:
    prefix, tally = f"fd-{uuid.uuid4().hex[:8]}-", Tally()
    keys = [f"{prefix}{i}" for i in range(n)]

    def crash_and_start():
        cluster("kill", "primary")
        time.sleep(2)
        cluster("restart", "primary")

    marks = with_fault(lambda: run_intakes(config["port"], token, keys, area, concurrency, tally),
                       1 / 3, crash_and_start, progress=lambda: len(tally.acknowledged), total=n)
    from django.db import connection

    connection.close()  # the crash broke this process's connection too
    return {"fault": f"(d) crash (immediate stop) and restart the PG primary during {n} intakes",
            **count_cases(prefix, tally), "marks": marks}


def fault_replica(config, token, area, n, concurrency) -> dict:
    """Dashboard reads (and some intakes) while the standby is stopped for REPLICA_DOWN s and started again."""
    prefix, tally, reads = f"fe-{uuid.uuid4().hex[:8]}-", Tally(), Tally()
    reader_token = token_for("putuo_leader")
    keys = [f"{prefix}{i}" for i in range(n // 4)]
    done, down = {"reads": 0}, {}
    # Read by the district's leader, whose statistics grant covers the district.
    dashboards = [f"/api/v1/stats/cases/?area={config['district']}", f"/api/v1/stats/grids/?area={config['district']}"]

    def read_load():
        def reader(i: int):
            client = Client(config["port"], reader_token)
            while done["reads"] < n:
                with reads.lock:
                    done["reads"] += 1
                try:
                    status, _content = client.request("GET", dashboards[i % 2])
                    reads.saw(str(status))
                    if "at" in down and "up" not in down:
                        reads.saw(f"{status} while the replica was down")
                except (OSError, http.client.HTTPException) as error:
                    reads.saw(type(error).__name__)
            client.close()

        readers = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(concurrency)]
        writer = threading.Thread(target=run_intakes, args=(config["port"], token, keys, area, 2, tally),
                                  daemon=True)
        for thread in [*readers, writer]:
            thread.start()
        for thread in [*readers, writer]:
            thread.join()

    def stop_replica():
        cluster("kill", "replica")
        down["at"] = time.monotonic()

    def start_replica():
        # Down for at least REPLICA_DOWN seconds of reads, whatever the pace of the machine.
        time.sleep(max(0.0, down["at"] + REPLICA_DOWN - time.monotonic()))
        cluster("restart", "replica")
        down["up"] = time.monotonic()

    marks = with_fault(read_load, 1 / 4, stop_replica, progress=lambda: done["reads"], total=n,
                       recover_at=1 / 2, recover=start_replica)
    answered = reads.answers.get("200", 0)
    marks["replica down (s)"] = round(down["up"] - down["at"], 1) if "up" in down else None
    result = count_cases(prefix, tally)
    return {"fault": f"(e) stop the replica during {n} dashboard reads (+ {len(keys)} intakes)",
            "dashboard reads": n, "answered 200": answered, "failed reads": n - answered,
            "read answers": dict(sorted(reads.answers.items())), **result, "marks": marks}


def fault_worker(config, rows: int, kill_after: float | None = None) -> dict:
    """A bank batch of `rows` rows; the worker running it killed once its first chunk is committed."""
    import random

    from django.contrib.auth import get_user_model
    from django.db import connection

    from yiwang.core.models import Job, JobStatus
    from yiwang.finance.actions import do_submit_batch
    from yiwang.finance.demo import sample_rows
    from yiwang.finance.models import BankCase, Batch, BatchRow

    operator = get_user_model().objects.get(username="bank_operator")
    tag = uuid.uuid4().hex[:6].upper()
    data = sample_rows(random.Random(tag), rows, prefix=f"F{tag}")
    for row in data:
        row["年利率"] = "12"
    started = time.monotonic()
    batch = do_submit_batch(by=operator, rows=data, idempotency_key=f"faults-{tag}")
    job = Job.objects.filter(kind="finance.batch", params__batch=batch.pk).order_by("-pk").first()
    marks: dict = {"submitted": round(time.monotonic() - started, 1)}
    victim = None
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        job.refresh_from_db()
        running_for = time.monotonic() - started
        if job.status == JobStatus.RUNNING and job.total and job.done < job.total and (
                job.done > 0 or (kill_after and running_for > kill_after)):
            victim = worker_running_the_job()
            if victim:
                break
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            break
        time.sleep(0.2)
    if victim is None:
        return {"fault": f"(b) kill -9 an RQ worker during a {rows}-row bank batch",
                "error": f"the job was never caught running (status {job.status}, done {job.done})"}
    cluster("kill", victim)
    marks["killed"] = (round(time.monotonic() - started, 1), f"{victim} at row {job.done} of {job.total}")
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            break
        time.sleep(1)
    marks["finished"] = (round(time.monotonic() - started, 1), job.status, f"attempt {job.attempt}")
    cluster("restart", victim)
    connection.close()
    batch = Batch.objects.get(pk=batch.pk)
    lines = list(BatchRow.objects.filter(batch=batch).values_list("line", flat=True))
    references = list(BankCase.objects.filter(batch=batch).values_list("reference", flat=True))
    expected = set(range(1, rows + 1))
    return {"fault": f"(b) kill -9 an RQ worker during a {rows}-row bank batch",
            "acknowledged": rows, "found": len(expected & set(lines)), "lost": len(expected - set(lines)),
            "duplicated": (len(lines) - len(set(lines))) + (len(references) - len(set(references))),
            "cases": len(references), "batch": f"{batch.status}: {batch.accepted} accepted, "
            f"{batch.duplicates} duplicates, {batch.rejected} rejected",
            "job": f"{job.status}, attempt {job.attempt}", "marks": marks}


def worker_running_the_job() -> str | None:
    """The cluster's worker that RQ says is busy with a job (its pid is the cluster's pid file's)."""
    import django_rq

    sys.path.insert(0, str(ROOT / "scripts"))
    import cluster as cluster_script
    from rq import Worker

    pids = {cluster_script.read_pid(name): name for name in ("worker1", "worker2")}
    for worker in Worker.all(connection=django_rq.get_connection("default")):
        if worker.get_current_job_id() and worker.pid in pids:
            return pids[worker.pid]
    return None


# ------------------------------------------------------------------------------------------ main


def token_for(username: str) -> str:
    from django.contrib.auth import get_user_model

    from yiwang.accounts.actions import do_issue_token

    user = get_user_model().objects.get(username=username)
    return do_issue_token(user, f"faults-{uuid.uuid4().hex[:8]}")[1]


def table(results: list[dict]) -> str:
    head = ["fault", "acknowledged", "found", "lost", "duplicated"]
    lines = ["| " + " | ".join(head) + " | other |", "|" + "---|" * (len(head) + 1)]
    for result in results:
        other = {k: v for k, v in result.items() if k not in head}
        lines.append("| " + " | ".join(str(result.get(k, "")) for k in head) + " | "
                     + "; ".join(f"{k}: {v}" for k, v in other.items()) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="intakes during the app-server kill (a)")
    parser.add_argument("--load", type=int, default=1000, help="intakes or reads during (c), (d), (e)")
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the bank batch (b)")
    parser.add_argument("--kill-after", type=float, default=None,
                        help="(b): kill the worker after this many seconds even before the first chunk commits")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--only", default="a,b,c,d,e")
    args = parser.parse_args()
    config_path = STATE / "cluster.json"
    if not config_path.exists():
        sys.exit("no cluster: start it with `make cluster` (scripts/cluster.py start)")
    config = json.loads(config_path.read_text())
    CLUSTER_ENV.update(cluster_env(config))
    os.environ.update(CLUSTER_ENV)
    setup_django(config)
    from django.conf import settings

    from yiwang.areas.models import Area

    config["district"] = settings.YIWANG_DISTRICT
    area = Area.objects.filter(code__startswith="330903100", level="village").order_by("code").first().code
    token = token_for("liuheng_clerk")
    chosen = args.only.split(",")
    results = []
    runs = {"a": lambda: fault_app_server(config, token, area, args.n, args.clients),
            "b": lambda: fault_worker(config, args.rows, args.kill_after),
            "c": lambda: fault_redis(config, token, area, args.load, args.clients),
            "d": lambda: fault_primary(config, token, area, args.load, args.clients),
            "e": lambda: fault_replica(config, token, area, args.load, args.clients)}
    for name in chosen:
        result = runs[name]()
        print(json.dumps(result, ensure_ascii=False), flush=True)
        results.append(result)
    print()
    print(table(results))
    lost = sum(int(r.get("lost", 0) or 0) + int(r.get("duplicated", 0) or 0) + int(r.get("failed reads", 0) or 0)
               for r in results)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
