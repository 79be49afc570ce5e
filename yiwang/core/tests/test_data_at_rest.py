"""A dump of the database shows no ID number and no mobile number of a party (PIPL; 等保 2.0 level 3).

A small world is built through the factories (a case mediated to an agreement, an online filing and its
one-time code, a vessel with its owner and crew, a mediator's conflict, a rule's exclusion, a user's own
mobile), then the database is dumped: SQLite's `iterdump()`, or on PostgreSQL every text and JSON column
read back as text (pg_dump cannot see the test's uncommitted transaction). None of the numbers appears.
"""

from django.db import connection
from django.utils import timezone

from yiwang.cases.validators import id_check_character
from yiwang.core import crypto
from yiwang.testing.factories import applicant, file_online_case, make_case, user


def id_number(n: int) -> str:
    first17 = f"33090319{80 + n % 10:02d}0{n % 9 + 1}1{n % 10}{n:03d}"
    return first17 + id_check_character(first17)


def dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = current_schema() "
                       "AND data_type IN ('text', 'character varying', 'json', 'jsonb')")
        columns = cursor.fetchall()
        lines = []
        for table, column in columns:
            cursor.execute(f'SELECT "{column}"::text FROM "{table}"')
            lines.extend(str(value) for (value,) in cursor.fetchall() if value)
    return "\n".join(lines)


def build_world(demo) -> dict[str, str]:
    """Every place an ID or mobile number is kept, filled once; returns the numbers used."""
    from yiwang.maritime.models import CrewMember, Vessel
    from yiwang.online.actions.access import issue_code
    from yiwang.triage.models import Conflict
    from yiwang.warnings.models import Exclusion, Rule

    numbers = {f"id{n}": id_number(n) for n in range(1, 8)}
    numbers |= {f"phone{n}": f"139{n:04d}{n * 1111 % 10000:04d}" for n in range(1, 8)}
    case = make_case("agreed", applicants=[applicant(id_number=numbers["id1"], phone=numbers["phone1"])],
                     respondents=[applicant(id_number=numbers["id2"], phone=numbers["phone2"])])
    assert case.agreement.parties_snapshot[0]["id_number"] == numbers["id1"]
    file_online_case(applicant={"id_number": numbers["id3"], "phone": numbers["phone3"]},
                     respondent={"phone": numbers["phone4"]})
    issue_code(numbers["phone3"], "access")
    vessel = Vessel.objects.create(name="浙普渔99901", kind="fishing", area_id=case.area_id, owner_name="测船主",
                                   owner_id_number=numbers["id4"], owner_phone=numbers["phone5"])
    CrewMember.objects.create(vessel=vessel, name="测船员", id_number=numbers["id5"], phone=numbers["phone6"])
    mediator = user("mediator_wang")
    Conflict.objects.create(mediator=mediator, person_name="测亲属", id_number=numbers["id6"], relation="relative",
                            recorded_at=timezone.now())
    rule = Rule.objects.filter(code="repeat.party").first()
    if rule is not None:
        Exclusion.objects.create(rule=rule, name="测排除", id_number=numbers["id7"], reason="测试")
    mediator.phone = numbers["phone7"]
    mediator.save(update_fields=["phone"])
    return numbers


def test_a_dump_of_the_database_holds_no_id_or_mobile_number_yet_each_reads_back_and_is_found(demo):
    from yiwang.cases.models import Case, Party
    from yiwang.maritime.models import CrewMember

    numbers = build_world(demo)
    text = dump()
    found = {name: [line[:300] for line in text.splitlines() if value in line][:3]
             for name, value in numbers.items() if value in text}
    assert not found, found
    assert "v1$" in text  # the values are there, encrypted

    party = Party.objects.get(crypto.match("id_number", numbers["id1"]))
    assert (party.id_number, party.phone) == (numbers["id1"], numbers["phone1"])
    assert Case.objects.search(numbers["id1"].lower()).get() == party.case  # normalised: x → X
    assert Case.objects.search(f"+86 {numbers['phone2']}").get() == party.case
    crew = CrewMember.objects.get(vessel__name="浙普渔99901")
    assert (crew.id_number, crew.phone) == (numbers["id5"], numbers["phone6"])
