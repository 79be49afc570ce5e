#!/usr/bin/env python3
"""yiwang beside django-helpdesk, over HTTP, in one run: each operation's req/s, p50 and p95 for both
systems and the ratio, at two sizes, plus the bare-Django insert floor on the same server.

    make bench-peer     # or: scripts/with_postgres.py .venv/bin/python bench/peer_bench.py [--sizes 10000,100000]

Both systems run on the same PostgreSQL cluster (two databases), each behind gunicorn with the same
number of sync workers, loaded by `wrk` (Debian's) with the same connections and duration, after a
warm-up; the repetitions alternate between the systems so that a noisy machine moves both alike.
django-helpdesk (pinned below) is installed from the package registry into its own virtual environment
under var/bench-peer; the helpdesk site it runs in is generated there by this script. Nothing of the
peer is committed.

What is compared, operation by operation (each system's nearest equivalent):
- create: `POST /api/v1/cases/` (token) vs `POST /api/tickets/` (token), a fresh name per request;
- list: `GET /api/v1/cases/` vs `GET /api/tickets/` for a user who sees everything;
- one page: a case page vs a ticket page, signed in;
- search: the case queue searched by a party's name vs the ticket list's search (its data endpoint);
- queue: yiwang's queue page for a province-level user (helpdesk has no area scope to compare);
- floor: a bare Django view that inserts one row, on the peer's server (the least any create can cost).
"""

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

HELPDESK = "django-helpdesk[teams]==2.6.1"
PEER_PACKAGES = [HELPDESK, "Django>=5.2,<5.3", "gunicorn==23.0.0", "psycopg[binary]>=3.2", "dj-database-url>=2.3"]
GUNICORN = "gunicorn==23.0.0"
WORKERS = 2
NAMES = "王伟 李娜 张敏 刘洋 陈静 杨磊 黄勇 赵军 吴杰 周涛 徐明 孙超 马丽 朱华 胡强 郭芳".split()

PEER_SETTINGS = '''
import os
import dj_database_url

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "peer-benchmark-only-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework.authtoken",
    "account",
    "pinax.invitations",
    "pinax.teams",
    "helpdesk",
    "floor",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": dj_database_url.parse(os.environ["PEER_DATABASE_URL"], conn_max_age=600)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1
STATIC_URL = "/static/"
LOGIN_URL = "/login/"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": [
    "rest_framework.authentication.TokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]}
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
'''

PEER_URLS = '''
from django.contrib import admin
from django.urls import include, path

from floor.views import insert

urlpatterns = [
    path("admin/", admin.site.urls),
    path("floor/", insert),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
'''

FLOOR_MODELS = '''
from django.db import models


class Row(models.Model):
    text = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)
'''

FLOOR_VIEWS = '''
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from floor.models import Row


@csrf_exempt
def insert(request):
    row = Row.objects.create(text=request.body.decode()[:200])
    return JsonResponse({"id": row.pk}, status=201)
'''

# Run by the peer's Python: migrate, fill to SIZE tickets, print what the load needs.
PEER_FILL = '''
import json, os, random, sys
import django

django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token
from helpdesk.models import Queue, Ticket

size = int(sys.argv[1])
names = sys.argv[2].split(",")
call_command("makemigrations", "floor", verbosity=0)
call_command("migrate", verbosity=0)
User = get_user_model()
staff, _ = User.objects.get_or_create(username="bench_staff", defaults={"is_staff": True, "is_superuser": True})
queue, _ = Queue.objects.get_or_create(slug="disputes", defaults={"title": "Disputes", "allow_public_submission": True})
rng = random.Random(20261202)
have = Ticket.objects.count()
while have < size:
    n = min(5000, size - have)
    Ticket.objects.bulk_create([
        Ticket(queue=queue, title=f"纠纷 {have + i}", description="因邻里排水问题产生纠纷。请求调解。",
               submitter_email=f"p{have + i}@example.cn",
               status=rng.choice([1, 2, 3, 4]), priority=3)
        for i in range(n)
    ])
    have += n
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
client = Client()
client.force_login(staff)
ticket = Ticket.objects.order_by("-id").first()
print(json.dumps({
    "token": Token.objects.get_or_create(user=staff)[0].key,
    "session": client.cookies["sessionid"].value,
    "queue": queue.pk, "ticket": ticket.pk,
}))
'''

# The Lua for wrk: rotate over paths, an optional body made fresh per request, the figures as JSON.
WRK_LUA = r'''
local paths = {PATHS}
local method = "{METHOD}"
local body_template = {BODY}
local names = {NAMES}
local counter = 0
wrk.headers["Content-Type"] = "application/json"
{HEADERS}
request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if body_template then
    local body = body_template
    body = body:gsub("@NAME1@", names[math.random(#names)] .. counter)
    body = body:gsub("@NAME2@", names[math.random(#names)] .. counter)
    body = body:gsub("@PHONE1@", string.format("139%08d", math.random(0, 99999999)))
    body = body:gsub("@PHONE2@", string.format("137%08d", math.random(0, 99999999)))
    return wrk.format(method, path, nil, body)
  end
  return wrk.format(method, path)
end
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('JSON {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "bad": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000, bad))
end
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_peer(home: Path) -> Path:
    """The peer's virtual environment and site under var/bench-peer; gunicorn into ours if missing."""
    venv = home / "venv"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists() or marker.read_text() != "\n".join(PEER_PACKAGES):
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], check=True)
        marker.write_text("\n".join(PEER_PACKAGES))
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", GUNICORN], check=True)
    site = home / "site"
    (site / "floor").mkdir(parents=True, exist_ok=True)
    (site / "settings.py").write_text(PEER_SETTINGS)
    (site / "urls.py").write_text(PEER_URLS)
    (site / "wsgi_app.py").write_text(
        "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n")
    (site / "floor" / "__init__.py").write_text("")
    (site / "floor" / "models.py").write_text(FLOOR_MODELS)
    (site / "floor" / "views.py").write_text(FLOOR_VIEWS)
    return python


class Server:
    """gunicorn with WORKERS sync workers on a free loopback port."""

    def __init__(self, python: Path, app: str, cwd: Path, env: dict, log: Path):
        self.port = free_port()
        gunicorn = [str(python), "-m", "gunicorn", app, "--workers", str(WORKERS), "--worker-class", "sync",
                    "--bind", f"127.0.0.1:{self.port}", "--access-logfile", "/dev/null",
                    "--error-logfile", str(log), "--timeout", "120"]
        self.log = open(log, "ab")  # noqa: SIM115 (open while the server runs)
        self.process = subprocess.Popen(gunicorn, cwd=cwd, env=env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise SystemExit(f"{app} did not start: see {log}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def lua_list(values: list[str]) -> str:
    return "{" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "}"


def wrk(port: int, op: dict, seconds: int, connections: int, scratch: Path) -> dict:
    headers = "\n".join(f'wrk.headers[{json.dumps(k)}] = {json.dumps(v)}' for k, v in op.get("headers", {}).items())
    body = op.get("body")
    script = (WRK_LUA.replace("{PATHS}", lua_list(op["paths"])).replace("{METHOD}", op.get("method", "GET"))
              .replace("{BODY}", "[==[" + body + "]==]" if body else "nil").replace("{NAMES}", lua_list(NAMES))
              .replace("{HEADERS}", headers))
    lua = scratch / "op.lua"
    lua.write_text(script)
    result = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(lua),
                             f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    for line in result.stdout.splitlines():
        if line.startswith("JSON "):
            figures = json.loads(line[5:])
            figures["rps"] = figures["requests"] / figures["seconds"] if figures["seconds"] else 0.0
            return figures
    raise SystemExit(f"wrk printed no figures:\n{result.stdout}\n{result.stderr}")


def probe(port: int, job: dict) -> None:
    """One request of the job before it is measured: a benchmark of error pages measures nothing."""
    import urllib.error
    import urllib.request

    body = job.get("body")
    if body:
        for key, value in (("@NAME1@", "王伟probe"), ("@NAME2@", "李娜probe"), ("@PHONE1@", "13900000001"),
                           ("@PHONE2@", "13700000002")):
            body = body.replace(key, value)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{job['paths'][0]}", method=job.get("method", "GET"),
                                     data=body.encode() if body else None,
                                     headers={"Content-Type": "application/json", **job.get("headers", {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            if response.status >= 300:
                raise SystemExit(f"{job['paths'][0]} answered {response.status}")
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{job.get('method', 'GET')} {job['paths'][0]} answered {error.code}: "
                         f"{error.read()[:400].decode(errors='replace')}") from None


def yiwang_world(size: int, state: dict, rng: random.Random) -> dict:
    """Fill yiwang's database to `size` cases (the cases benchmark's fill) and make what the load needs."""
    from django.test import Client

    from yiwang.accounts.models import Grant, User
    from yiwang.cases.models import Case, Party

    if "world" not in state:
        from cases_bench import World

        state["world"] = World()
        province, _ = User.objects.get_or_create(username="bench_province", defaults={"display_name": "省级"})
        Grant.objects.get_or_create(user=province, role_id="centre_staff", area_id="33")
        state["province"] = province
    world = state["world"]
    world.fill_to(size, rng)
    sessions = {}
    for name, user in (("province", state["province"]), ("clerk", world.clerk)):
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies["sessionid"].value
    case = Case.objects.filter(area__code__startswith=world.town).order_by("-id").first()
    names = list(Party.objects.filter(case__area__code__startswith=world.town).values_list("name", flat=True)[:200])
    return {"token": api_token(world.clerk), "token_province": api_token(state["province"]), "sessions": sessions,
            "case": case.pk, "names": names or ["王伟"], "types": [t.code for t in world.types],
            "villages": world.town_villages}


def api_token(user) -> str:
    """An API token for `user` through the token endpoint, as a client system gets one."""
    from rest_framework.test import APIClient

    password = "bench-Only-Passw0rd-7f3a9c"
    user.set_password(password)
    user.save(update_fields=["password"])
    response = APIClient().post("/api/v1/token", {"username": user.username, "password": password, "name": "bench"},
                                format="json")
    assert response.status_code == 200, response.content[:300]
    return response.json()["token"]


def operations(yw: dict, hd: dict) -> dict[str, dict[str, dict]]:
    """Each operation as a wrk job per system (helpdesk's None where it has no equivalent)."""
    body = json.dumps({
        "channel": "window", "dispute_type": yw["types"][0], "area": yw["villages"][0],
        "facts": "渔船停靠引发的纠纷。", "claims": "请求赔偿损失。",
        "applicants": [{"name": "@NAME1@", "phone": "@PHONE1@"}],
        "respondents": [{"name": "@NAME2@", "phone": "@PHONE2@"}],
    }, ensure_ascii=False)
    hd_body = json.dumps({"queue": hd["queue"], "title": "纠纷 @NAME1@", "description": "因邻里排水问题产生纠纷。",
                          "submitter_email": "x@example.cn", "priority": 3}, ensure_ascii=False)
    token = {"Authorization": f"Token {yw['token']}"}
    province_token = {"Authorization": f"Token {yw['token_province']}"}
    hd_token = {"Authorization": f"Token {hd['token']}"}
    cookie = {"Cookie": f"sessionid={yw['sessions']['province']}"}
    hd_cookie = {"Cookie": f"sessionid={hd['session']}"}
    searches = [f"/cases/?queue=all&state=all&q={quote(name)}" for name in yw["names"][:50]]
    from base64 import b64encode

    def hd_search(name):
        query = b64encode(json.dumps({"filtering": {}, "sorting": "created", "sortreverse": False,
                                      "search_string": name}).encode()).decode()
        return f"/datatables_ticket_list/{query}?draw=1&start=0&length=25"

    return {
        "create through the REST API": {
            "yiwang": {"method": "POST", "paths": ["/api/v1/cases/"], "headers": token, "body": body},
            "helpdesk": {"method": "POST", "paths": ["/api/tickets/"], "headers": hd_token, "body": hd_body},
        },
        "case list API": {
            "yiwang": {"paths": ["/api/v1/cases/"], "headers": province_token},
            "helpdesk": {"paths": ["/api/tickets/"], "headers": hd_token},
        },
        "one case page": {
            "yiwang": {"paths": [f"/cases/{yw['case']}/"], "headers": cookie},
            "helpdesk": {"paths": [f"/tickets/{hd['ticket']}/"], "headers": hd_cookie},
        },
        "search by party name": {
            "yiwang": {"paths": searches, "headers": cookie},
            "helpdesk": {"paths": [hd_search(f"p{i}") for i in range(50)], "headers": hd_cookie},
        },
        "case queue page, a province-level user": {
            "yiwang": {"paths": ["/cases/"], "headers": cookie},
            "helpdesk": None,
        },
        "bare Django insert (floor)": {
            "yiwang": None,
            "helpdesk": {"method": "POST", "paths": ["/floor/"], "body": "floor row"},
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated case/ticket counts, ascending")
    parser.add_argument("--seconds", type=int, default=20, help="measured seconds per operation and repetition")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured seconds before each measurement")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions, alternating the systems")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", default="", help="measure only operations whose name contains this")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL is not set: run through scripts/with_postgres.py (make bench-peer)")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    home = ROOT / "var" / "bench-peer"
    home.mkdir(parents=True, exist_ok=True)
    peer_python = ensure_peer(home)
    create_database("bench_yiwang")
    create_database("bench_helpdesk")
    scratch = Path(tempfile.mkdtemp(prefix="yiwang-peer-"))
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    yw_env = dict(base_env, DATABASE_URL=database_url("bench_yiwang"), DJANGO_SETTINGS_MODULE="yiwang.settings",
                  SECRET_KEY="benchmark-only-secret-key-0123456789abcdefghijkl", DEBUG="0",
                  ALLOWED_HOSTS="127.0.0.1,localhost,testserver", LOG_LEVEL="ERROR", YIWANG_TWO_FACTOR="optional",
                  YIWANG_VAR_DIR=str(scratch / "yiwang-var"), PYTHONPATH=str(ROOT))
    hd_env = dict(base_env, PEER_DATABASE_URL=database_url("bench_helpdesk"), DJANGO_SETTINGS_MODULE="settings",
                  PYTHONPATH=str(home / "site"))
    os.environ.update({k: v for k, v in yw_env.items() if k != "PYTHONPATH"})
    from common import setup_django

    setup_django()
    # The served app is the production shape: static files collected, served by WhiteNoise.
    subprocess.run([sys.executable, "-m", "yiwang", "collectstatic", "--noinput", "-v0"], env=yw_env, cwd=ROOT,
                   check=True)
    rng = random.Random(20261202)
    state: dict = {}
    results: dict[str, dict[int, dict[str, list[dict]]]] = {}
    for size in sizes:
        print(f"== {size:,} cases and {size:,} tickets", flush=True)
        yw = yiwang_world(size, state, rng)
        filled = subprocess.run([str(peer_python), "-c", PEER_FILL, str(size), ",".join(NAMES)], env=hd_env,
                                cwd=home / "site", capture_output=True, text=True)
        if filled.returncode:
            sys.exit(f"filling helpdesk failed:\n{filled.stderr[-3000:]}")
        hd = json.loads(filled.stdout.strip().splitlines()[-1])
        servers = {
            "yiwang": Server(Path(sys.executable), "yiwang.wsgi", ROOT, yw_env, scratch / "yiwang.log"),
            "helpdesk": Server(peer_python, "wsgi_app:application", home / "site", hd_env, scratch / "helpdesk.log"),
        }
        try:
            for name, jobs in operations(yw, hd).items():
                if args.only not in name:
                    continue
                for rep in range(args.repeat):
                    order = ["yiwang", "helpdesk"] if rep % 2 == 0 else ["helpdesk", "yiwang"]
                    for system in order:
                        job = jobs[system]
                        if job is None:
                            continue
                        port = servers[system].port
                        probe(port, job)
                        if args.warmup:
                            wrk(port, job, args.warmup, args.connections, scratch)
                        figures = wrk(port, job, args.seconds, args.connections, scratch)
                        results.setdefault(name, {}).setdefault(size, {}).setdefault(system, []).append(figures)
                        print(f"  {name:<40} {system:<8} rep {rep + 1}: {figures['rps']:7.1f} req/s  "
                              f"p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  non-2xx {figures['bad']}",
                              flush=True)
        finally:
            for server in servers.values():
                server.stop()
    print()
    print(table(results, sizes, args))
    shutil.rmtree(scratch, ignore_errors=True)


def table(results, sizes, args) -> str:
    def median(runs, key):
        return statistics.median(run[key] for run in runs) if runs else None

    def cell(value, fmt):
        return "—" if value is None else format(value, fmt)

    lines = [f"peer benchmark: yiwang beside {HELPDESK}, gunicorn {WORKERS} sync workers each, "
             f"wrk -t1 -c{args.connections} {args.seconds} s after {args.warmup} s, median of {args.repeat}",
             "", "| operation | size | yiwang req/s | p50 ms | p95 ms | helpdesk req/s | p50 ms | p95 ms | ratio |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, by_size in results.items():
        for size in sizes:
            runs = by_size.get(size, {})
            yw, hd = runs.get("yiwang", []), runs.get("helpdesk", [])
            ratio = median(yw, "rps") / median(hd, "rps") if yw and hd and median(hd, "rps") else None
            lines.append(f"| {name} | {size:,} | {cell(median(yw, 'rps'), '.1f')} | {cell(median(yw, 'p50'), '.1f')} "
                         f"| {cell(median(yw, 'p95'), '.1f')} | {cell(median(hd, 'rps'), '.1f')} "
                         f"| {cell(median(hd, 'p50'), '.1f')} | {cell(median(hd, 'p95'), '.1f')} | {cell(ratio, '.2f')} |")
    small, large = sizes[0], sizes[-1]
    if small != large:
        lines += ["", f"growth {large:,}/{small:,} (req/s ratio; 1.00 is flat):"]
        for name, by_size in results.items():
            for system in ("yiwang", "helpdesk"):
                a, b = by_size.get(small, {}).get(system), by_size.get(large, {}).get(system)
                if a and b:
                    lines.append(f"  {name:<40} {system:<8} {median(b, 'rps') / median(a, 'rps'):.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
