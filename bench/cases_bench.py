#!/usr/bin/env python3
"""Cases at province scale: p50/p95 of intake through the API, every queue a user can open (a mediator's
own, a window's, a centre's, everything in a town, a county, the province), the API list and search by party
name, for a mediator and for a province-level user, at 10,000 cases and again at 1,000,000 in the same run,
with the ratio. Cases are spread over every village of 浙江省 (the shipped division file).

    make bench            # or: scripts/with_postgres.py .venv/bin/python bench/cases_bench.py \
                          #         [--sizes 10000,1000000] [--repeat 200]

The measured mediator has the same workload (60 open cases) at every size, as a real one would; the town
centre's share grows with the table (one village in ~25,500), as it would across a province.
"""

import argparse
import random
import time
from datetime import timedelta

from common import percentiles, report, setup_django, timed

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰海燕志强春梅晓东小红建华丽娟国强德明文杰"
MEASURED_MEDIATOR_CASES = 60
REPEAT = 200  # --repeat
TEMPLATE_CASES = 5000  # generated case by case in Python; the rest copied from them in SQL (PostgreSQL)
REPLICATE_BATCH = 50_000


def make_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def case_body(world, rng: random.Random, i: int) -> dict:
    """The body of the i-th case created through the API: a village of the measured town, two new people."""
    return {
        "channel": "window", "dispute_type": world.types[i % len(world.types)].code,
        "area": world.town_villages[i % len(world.town_villages)], "facts": "渔船停靠引发的纠纷。",
        "claims": "请求赔偿损失。",
        "applicants": [{"name": make_name(rng), "phone": f"139{rng.randint(0, 99999999):08d}"}],
        "respondents": [{"name": make_name(rng), "phone": f"137{rng.randint(0, 99999999):08d}"}],
    }


class World:
    """Divisions, centres and the people acting in the benchmark."""

    def __init__(self):
        from yiwang.accounts.demo import sync_roles
        from yiwang.accounts.models import Grant, User
        from yiwang.areas.actions import ZHEJIANG_FILE, do_load_divisions
        from yiwang.areas.demo import DISPUTE_TYPES
        from yiwang.areas.models import Area, Centre, CentreLevel, DisputeType, Window, WindowKind
        from yiwang.core.codes import Level

        started = time.monotonic()
        do_load_divisions(ZHEJIANG_FILE)
        sync_roles()
        for order, (code, name, maritime, court) in enumerate(DISPUTE_TYPES):
            DisputeType.objects.get_or_create(
                code=code, defaults={"name": name, "maritime": maritime, "litigation_bound": court, "sort_order": order}
            )
        self.types = list(DisputeType.objects.filter(maritime=False))
        towns = list(Area.objects.filter(level=Level.TOWNSHIP).values_list("code", "name"))
        Centre.objects.bulk_create(
            [Centre(code=f"T{code}", name=f"{name}社会治理中心", level=CentreLevel.TOWN, area_id=code) for code, name in towns],
            ignore_conflicts=True,
        )
        self.centre_of_town = dict(Centre.objects.values_list("area_id", "id"))
        self.villages = list(Area.objects.filter(level=Level.VILLAGE).values_list("code", flat=True))
        self.town = "330903100"  # 六横镇
        self.town_villages = [v for v in self.villages if v.startswith(self.town)]
        self.town_centre = Centre.objects.get(area_id=self.town)
        self.window, _ = Window.objects.get_or_create(
            centre=self.town_centre, number=1, defaults={"name": "综合受理窗口", "kind": WindowKind.COMPREHENSIVE})

        def person(username, role, area):
            user, _ = User.objects.get_or_create(username=username, defaults={"display_name": username})
            Grant.objects.get_or_create(user=user, role_id=role, area_id=area)
            return user

        self.clerk = person("bench_clerk", "window_clerk", self.town)
        self.mediator = person("bench_mediator", "mediator", "330903")
        self.town_staff = person("bench_town_staff", "centre_staff", self.town)
        self.county_staff = person("bench_county_staff", "centre_staff", self.town[:6])
        self.province_staff = person("bench_province_staff", "centre_staff", self.town[:2])
        self.fillers = [person(f"bench_mediator_{i:03d}", "mediator", "33") for i in range(200)]
        self.generated = 0
        print(f"world: {len(self.villages):,} villages, {len(towns):,} town centres "
              f"({time.monotonic() - started:.0f} s)", flush=True)

    def fill_to(self, size: int, rng: random.Random) -> None:
        """Bulk-insert synthetic cases (two parties and a mediator each) until the table holds `size`."""
        from django.db import connection
        from django.utils import timezone

        from yiwang.cases.models import (
            OPEN_STATUSES,
            Assignment,
            Case,
            Outcome,
            Party,
            PartyRole,
            Status,
            Tier,
        )

        started = time.monotonic()
        statuses = list(Status.values)
        now = timezone.now()
        outcome_for = {s: Outcome.values[0] for s in statuses}
        for status, outcome in (("archived", "agreed"), ("withdrawn", "withdrawn"), ("not_accepted", "not_accepted"),
                                ("referred", "referred"), ("merged", "merged")):
            if status in statuses and outcome in Outcome.values:
                outcome_for[status] = outcome
        batch = 5000
        while self.generated < size:
            n = min(batch, size - self.generated)
            cases = []
            for i in range(n):
                seq = self.generated + i
                village = rng.choice(self.villages)
                centre_id = self.centre_of_town.get(village[:9])
                status = rng.choice(statuses)
                received = now - timedelta(days=rng.uniform(0, 730))
                cases.append(Case(
                    number=f"BN-{seq:09d}", channel="window", dispute_type=rng.choice(self.types), area_id=village,
                    centre_id=centre_id, registered_centre_id=centre_id, tier=Tier.VILLAGE, status=status,
                    window_id=self.window.pk if centre_id == self.town_centre.pk else None,
                    outcome="" if status in OPEN_STATUSES else outcome_for[status],
                    facts="因邻里排水问题产生纠纷。", claims="请求调解。", received_at=received,
                    deadline=(received + timedelta(days=rng.randint(10, 60))).date(),
                    owner=rng.choice(self.fillers), created_by=self.clerk,
                ))
            Case.objects.bulk_create(cases, batch_size=batch)
            parties, assignments = [], []
            for case in cases:
                for role in (PartyRole.APPLICANT, PartyRole.RESPONDENT):
                    parties.append(Party(case=case, role=role, name=make_name(rng),
                                         phone=f"13{rng.randint(0, 999999999):09d}",
                                         id_number=f"33{rng.randint(0, 10**16 - 1):016d}"))
                assignments.append(Assignment(case=case, mediator=rng.choice(self.fillers), assigned_at=now))
            Party.objects.bulk_create(parties, batch_size=batch)
            Assignment.objects.bulk_create(assignments, batch_size=batch)
            if self.generated == 0:
                # The measured mediator's bounded workload: open cases of the first batch.
                mine = [c for c in cases if c.status in OPEN_STATUSES][:MEASURED_MEDIATOR_CASES]
                Assignment.objects.bulk_create([Assignment(case=c, mediator=self.mediator, assigned_at=now) for c in mine])
            self.generated += n
            if self.generated % 100_000 == 0:
                print(f"  … {self.generated:,} cases ({time.monotonic() - started:.0f} s)", flush=True)
            if connection.vendor == "postgresql" and self.generated >= TEMPLATE_CASES:
                self.replicate_to(size, started)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        print(f"filled to {size:,} cases in {time.monotonic() - started:.0f} s", flush=True)

    def replicate_to(self, size: int, started: float) -> None:
        """On PostgreSQL, fill the rest in SQL by copying the first TEMPLATE_CASES cases (status, outcome,
        owner and parties kept together, so every constraint holds) to a random village, date and deadline.

        Generating every case in Python runs at ~900 cases/s on a quiet machine and far slower on a busy one;
        copying ran at ~5,600 cases/s here (1,000,000 in 177 s). A copied party keeps its template's encrypted
        ID number and mobile but gets search hashes and (a person) a name of its own, so a search matches
        what it would in a real table of that size, not one case per template copy.
        """
        from django.db import connection

        from yiwang.cases.models import Case, Party

        def columns(model, leave_out=()):
            return [f.column for f in model._meta.concrete_fields if f.column not in ("id", *leave_out)]

        case_cols = columns(Case, ("number", "area_id", "centre_id", "registered_centre_id", "window_id",
                                   "received_at", "deadline", "owner_id", "idempotency_key"))
        party_cols = columns(Party, ("case_id",))
        # A copied party gets a name drawn as make_name draws it, and search hashes of its own (its
        # encrypted ID number and mobile stay its template's): a searched name matches as many cases as
        # names collide at that size, and a searched ID number or mobile the one case it was given to.
        def pick(letters):
            return f"substr('{letters}', 1 + floor(random() * {len(letters)})::int, 1)"

        fresh_hash = "encode(sha256(convert_to(random()::text || clock_timestamp()::text, 'UTF8')), 'hex')"
        party_copy = {
            "name": f"CASE WHEN p.kind = 'person' THEN {pick(SURNAMES)} || {pick(GIVEN)} || "
                    f"CASE WHEN random() < 0.5 THEN {pick(GIVEN)} ELSE '' END ELSE p.name END",
            "id_number_hash": f"CASE WHEN p.id_number_hash = '' THEN '' ELSE {fresh_hash} END",
            "phone_hash": f"CASE WHEN p.phone_hash = '' THEN '' ELSE {fresh_hash} END",
        }
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM cases_case WHERE number LIKE 'BN-%'")
            first_id = cursor.fetchone()[0]
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_village (n serial, code varchar, centre int)")
            cursor.execute("TRUNCATE bench_village RESTART IDENTITY")
            # The same village → town centre mapping the Python fill uses.
            cursor.execute("INSERT INTO bench_village (code, centre) SELECT * FROM unnest(%s::varchar[], %s::int[])",
                           [self.villages, [self.centre_of_town.get(v[:9]) for v in self.villages]])
            villages = len(self.villages)
            filler_ids = [u.pk for u in self.fillers]
            while self.generated < size:
                n = min(REPLICATE_BATCH, size - self.generated)
                cursor.execute(f"""
                    WITH g AS (
                        SELECT s, {first_id} + (s %% {TEMPLATE_CASES}) AS template,
                               1 + floor(random() * {villages})::int AS village,
                               now() - random() * interval '730 days' AS received
                        FROM generate_series(%s, %s) AS s)
                    INSERT INTO cases_case (number, area_id, centre_id, registered_centre_id, window_id, received_at,
                                            deadline, owner_id, idempotency_key, {", ".join(case_cols)})
                    SELECT 'BN-' || lpad(g.s::text, 9, '0'), v.code, v.centre, v.centre,
                           CASE WHEN v.centre = %s THEN %s END, g.received,
                           CASE WHEN t.deadline IS NULL THEN NULL
                                ELSE (g.received + (10 + floor(random() * 51))::int * interval '1 day')::date END,
                           CASE WHEN t.owner_id IS NULL THEN NULL
                                ELSE (%s::int[])[1 + floor(random() * %s)::int] END,
                           '', {", ".join("t." + c for c in case_cols)}
                    FROM g JOIN cases_case t ON t.id = g.template JOIN bench_village v ON v.n = g.village
                """, [self.generated, self.generated + n - 1, self.town_centre.pk, self.window.pk,
                      filler_ids, len(filler_ids)])
                assert cursor.rowcount == n, f"copied {cursor.rowcount} cases of {n}"
                cursor.execute(f"""
                    INSERT INTO cases_party (case_id, {", ".join(party_cols)})
                    SELECT c.id, {", ".join(party_copy.get(col, "p." + col) for col in party_cols)}
                    FROM cases_case c
                    JOIN cases_party p ON p.case_id = {first_id} + (substr(c.number, 4)::int %% {TEMPLATE_CASES})
                    WHERE c.number >= %s AND c.number <= %s
                """, [f"BN-{self.generated:09d}", f"BN-{self.generated + n - 1:09d}"])
                cursor.execute("""
                    INSERT INTO cases_assignment (case_id, mediator_id, assigned_at, recusal_reason)
                    SELECT c.id, (%s::int[])[1 + floor(random() * %s)::int], now(), ''
                    FROM cases_case c WHERE c.number >= %s AND c.number <= %s
                """, [filler_ids, len(filler_ids), f"BN-{self.generated:09d}", f"BN-{self.generated + n - 1:09d}"])
                before = self.generated
                self.generated += n
                if self.generated // 100_000 > before // 100_000:
                    print(f"  … {self.generated:,} cases ({time.monotonic() - started:.0f} s)", flush=True)


def measure(world: World, rng: random.Random, repeat: int, explain: bool = False) -> dict[str, tuple[float, float]]:
    from django.test import Client
    from rest_framework.test import APIClient

    from yiwang.cases.models import Party
    from yiwang.testing import issue_test_token

    results = {}

    def api_client(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_test_token(user)}")
        return client

    def page_client(user):
        client = Client()
        client.force_login(user)
        return client

    api = api_client(world.clerk)

    def create(i):
        response = api.post("/api/v1/cases/", case_body(world, rng, i), format="json")
        assert response.status_code == 201, response.content[:500]

    results["create a case (API)"] = percentiles(timed(create, repeat // 2))
    if explain:
        print_plan("create a case (API)", lambda: create(repeat))
    world.generated += repeat // 2 + 6

    mediator, town, county, province = (page_client(u) for u in (
        world.mediator, world.town_staff, world.county_staff, world.province_staff))
    mediator_api, province_api = api_client(world.mediator), api_client(world.province_staff)
    type_codes = [t.pk for t in world.types]
    names = list(Party.objects.filter(case__area__code__startswith=world.town).values_list("name", flat=True)[:500])
    names = names or ["王伟"]
    centre, window = world.town_centre.pk, world.window.pk

    # (name, client, path, the query string for call i)
    pages = [
        ("mediator: my queue", mediator, "/cases/", lambda i: {}),
        ("mediator: API list", mediator_api, "/api/v1/cases/", lambda i: {}),
        ("window queue (town staff)", town, "/cases/", lambda i: {"window": window}),
        ("centre queue (town staff)", town, "/cases/", lambda i: {"centre": centre}),
        ("town centre's filtered queue", town, "/cases/",
         lambda i: {"centre": centre, "state": "open", "dispute_type": type_codes[i % len(type_codes)]}),
        ("town: everything", town, "/cases/", lambda i: {"queue": "all"}),
        ("county: everything", county, "/cases/", lambda i: {"queue": "all"}),
        ("province: everything", province, "/cases/", lambda i: {"queue": "all"}),
        ("province: a centre's queue", province, "/cases/", lambda i: {"centre": centre}),
        ("province: overdue", province, "/cases/", lambda i: {"queue": "all", "state": "overdue"}),
        ("province: API list", province_api, "/api/v1/cases/", lambda i: {}),
        ("search by party name", town, "/cases/",
         lambda i: {"queue": "all", "state": "all", "q": names[i % len(names)]}),
        ("province: search by party name", province, "/cases/",
         lambda i: {"queue": "all", "state": "all", "q": names[i % len(names)]}),
    ]
    for name, client, path, params in pages:
        def call(i, client=client, path=path, params=params):
            response = client.get(path, params(i))
            assert response.status_code == 200, (path, response.status_code)

        results[name] = percentiles(timed(call, repeat))
        if explain:
            print_plan(name, lambda: call(0))

    # Parties of the generated cases (a copy's search hashes are its own, not its ID number's and mobile's).
    generated = Party.objects.filter(case__number__lt=f"BN-{TEMPLATE_CASES:09d}").exclude(id_number="")
    people = list(generated.filter(case__area__code__startswith=world.town)[:500])
    assert people, "no generated party in the measured town"

    def search_phone(i):
        response = town.get("/cases/", {"queue": "all", "state": "all", "q": people[i % len(people)].phone})
        assert response.status_code == 200 and b"BN-" in response.content

    results["search by mobile number"] = percentiles(timed(search_phone, repeat))

    def search_id(i):
        response = town.get("/cases/", {"queue": "all", "state": "all", "q": people[i % len(people)].id_number})
        assert response.status_code == 200 and b"BN-" in response.content

    results["search by ID number"] = percentiles(timed(search_id, repeat))

    from yiwang.cases.actions import get_possible_duplicates

    def duplicates(i):
        list(get_possible_duplicates(people[i % len(people)].case))

    results["duplicate check (one case)"] = percentiles(timed(duplicates, repeat))
    return results


def print_plan(name: str, request) -> None:
    """EXPLAIN ANALYZE of the slowest query one request runs (after it was measured, so caches are warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        request()
    by_time = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    slowest = by_time[0]
    for query in by_time[1:4]:
        print(f"    next slowest ({float(query['time']) * 1000:.1f} ms): {query['sql'][:300]}", flush=True)
    # A write is only planned: EXPLAIN ANALYZE would run it a second time.
    analyse = "(ANALYZE, BUFFERS OFF) " if slowest["sql"].lstrip().upper().startswith("SELECT") else ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + analyse + slowest["sql"])
        plan = "\n".join("      " + row[0] for row in cursor.fetchall())
    print(f"    plan of {name}'s slowest query ({len(captured.captured_queries)} queries, "
          f"{float(slowest['time']) * 1000:.1f} ms):\n      {slowest['sql'][:600]}\n{plan}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000", help="comma-separated case counts, ascending")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed requests per measurement")
    parser.add_argument("--explain", action="store_true",
                        help="at the largest size, print the plan of each measurement's slowest query")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    setup_django()
    rng = random.Random(20261128)
    world = World()
    rows: dict[str, dict[int, tuple[float, float]]] = {}
    for size in sizes:
        world.fill_to(size, rng)
        for name, figures in measure(world, rng, args.repeat, args.explain and size == sizes[-1]).items():
            rows.setdefault(name, {})[size] = figures
            print(f"  {size:>9,} cases  {name:<32} p50 {figures[0]:7.1f} ms  p95 {figures[1]:7.1f} ms", flush=True)
    print()
    print(report("cases benchmark (PostgreSQL, in-process requests)", rows, sizes))


if __name__ == "__main__":
    main()
