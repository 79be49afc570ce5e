"""The sea's rules read the vessel registry (yiwang.maritime): the dead or missing on a maritime record, the
vessels it lists, their owners, and the registered crew without a written contract; on the database, a
maritime record written after its case's registration is read once the registration commits."""

from decimal import Decimal

import pytest

from yiwang.warnings.facts import normalise
from yiwang.warnings.tests.rules_helpers import case, context, run

OWNER = "id:330903198001011234"


def on_record(text="拖网作业时缠坏对方刺网。", *, vessels=("浙普渔90001",), owner=OWNER, owner_name="欧阳船东", **extra):
    """A maritime case whose record lists registry vessels (all of one owner unless `owners` is given)."""
    extra.setdefault("owners", tuple(owner for _ in vessels))
    extra.setdefault("owner_names", tuple(owner_name for _ in vessels))
    return case(type_code="maritime", text=text, vessels=tuple(normalise(v) for v in vessels), vessel_names=vessels,
                vessel=normalise(vessels[0]) if vessels else "", vessel_label="、".join(vessels), **extra)


def test_a_death_on_the_record_is_red_whatever_the_text_says():
    [finding] = run("at_sea.casualty", [on_record("双方就赔偿金额有分歧。", dead=1)])
    assert finding.level == "red" and finding.numbers["dead"] == 1
    assert finding.explanation == "六横镇东靖社区 海上人员死亡或失踪（浙普渔90001；记录在案死亡或失踪 1 人）"
    assert not run("at_sea.casualty", [on_record("双方就赔偿金额有分歧。", dead=0)])


def test_a_collision_on_the_record_counts_the_registry_vessels():
    three = on_record("双方就责任划分有分歧。", incident="collision",
                      vessels=("浙普渔90001", "浙普渔90002", "浙岱渔90003"), owners=("id:A", "id:B", "id:C"))
    [finding] = run("at_sea.collision", [three])
    assert finding.level == "orange" and finding.numbers == {"vessels": 3}
    assert finding.vessel == "浙普渔90001、浙普渔90002、浙岱渔90003"
    # A name in the text is the vessel on the record, whatever stands before it.
    two = on_record("浙普渔90001的船长称，与浙普渔90002在作业时碰撞", incident="collision",
                    vessels=("浙普渔90001", "浙普渔90002"), owners=("id:A", "id:B"))
    assert run("at_sea.collision", [two])[0].numbers == {"vessels": 2}
    # One vessel and its registration number in the case are one vessel, not a collision of two.
    assert not run("at_sea.collision", [on_record("靠泊时碰擦码头", incident="collision")])


def test_one_owners_vessels_are_one_situation():
    facts = [on_record(vessels=(name,), days_ago=d) for name, d in (("浙普渔90001", 60), ("浙普渔90002", 20))]
    assert not run("at_sea.vessel_repeat", facts)
    [finding] = run("at_sea.vessel_repeat", [*facts, on_record(vessels=("浙普渔90003",))])
    assert finding.key == f"at_sea.vessel_repeat:owner:{OWNER}" and len(finding.cases) == 3
    assert finding.explanation == "同一船东欧**东的 3 艘船舶（浙普渔90001、浙普渔90002、浙普渔90003）90 天内涉及纠纷 3 件"
    # Different owners' vessels are different situations.
    assert not run("at_sea.vessel_repeat", [on_record(vessels=(f"浙普渔9000{i}",), owner=f"id:O{i}") for i in range(3)])


def test_an_owner_the_district_excludes_is_left_out():
    facts = [on_record(days_ago=d) for d in (30, 10, 0)]
    assert run("at_sea.vessel_repeat", facts)[0].explanation == "浙普渔90001（船东欧**东）90 天内涉及纠纷 3 件"
    ctx = context()
    ctx.excluded = {"at_sea.vessel_repeat": {OWNER}}
    assert not run("at_sea.vessel_repeat", facts, ctx=ctx)


def test_crew_wages_count_the_record_and_rise_on_a_vessel_without_contracts():
    wages = dict(incident="crew_wages", crew=6, crew_registered=8)
    [contracts] = run("at_sea.crew_wages", [on_record("要求结算", crew_without_contract=2, **wages)])
    assert contracts.level == "yellow" and contracts.numbers["crew"] == 6  # the record's crew, no wage word needed
    [without] = run("at_sea.crew_wages", [on_record("要求结算", crew_without_contract=4, **wages)])
    assert without.level == "orange"
    assert without.explanation == "浙普渔90001 60 天内 6 名船员追讨工资（1 件）；登记船员 8 人中 4 人无书面合同"
    ctx = context(**{"at_sea.crew_wages": {"extra": {"no_contract_share": 0.9}}})
    assert run("at_sea.crew_wages", [on_record("要求结算", crew_without_contract=4, **wages)], ctx=ctx)[0].level == "yellow"


def test_the_crew_on_the_record_count_as_people_involved():
    assert run("group.size", [on_record(crew=12)])[0].numbers == {"people": 12}


# --- on the database ---------------------------------------------------------------------------------------

def register_at_sea(*, dead=0, incident="injury", vessels=(), crew=0, loss_amount=None, **extra):
    """A maritime case and its record, written as the maritime intake does: the record after the case,
    in the same transaction (the registry's models only: the maritime actions are that app's)."""
    from yiwang.maritime.models import MaritimeRecord
    from yiwang.testing import factories as f

    case = f.register_case(by="putuo_staff", dispute_type="maritime", facts=extra.pop("facts", "作业时发生意外。"),
                           claims="赔偿损失。", sea_area="东极海域", vessel_name="、".join(v.name for v in vessels),
                           vessel_number=vessels[0].registration_number if vessels else "", **extra)
    record = MaritimeRecord.objects.create(case=case, area_id=case.area_id, incident_kind=incident, dead=dead,
                                           crew_involved=crew, loss_amount=loss_amount)
    record.vessels.set(vessels)
    return case


def vessel(name, *, owner="欧阳船东", id_number="330903198001011234", crew=(), **extra):
    from yiwang.maritime.models import CrewMember, Vessel

    made = Vessel.objects.create(name=name, registration_number=extra.pop("registration_number", ""), kind="trawler",
                                 area_id="330903100", owner_name=owner, owner_id_number=id_number, **extra)
    CrewMember.objects.bulk_create([CrewMember(vessel=made, name=f"船员{i}", written_contract=contract)
                                    for i, contract in enumerate(crew)])
    return made


@pytest.mark.django_db
def test_a_record_written_after_the_registration_is_read_once_it_commits(cast, django_capture_on_commit_callbacks):
    from yiwang.warnings.models import Warning

    boat = vessel("浙普渔90011", registration_number="浙普渔(2020)FT-90011")
    with django_capture_on_commit_callbacks(execute=True):
        case = register_at_sea(vessels=[boat], dead=1)
        assert not Warning.objects.exists()  # the registration's hook ran before the record existed
    warning = Warning.objects.get(rule="at_sea.casualty")
    assert list(warning.cases.all()) == [case] and warning.level == "red" and warning.vessel == "浙普渔90011"


@pytest.mark.django_db
def test_on_the_database_an_owners_boats_and_their_crew_are_read_from_the_registry(cast):
    from django.core.management import call_command

    from yiwang.warnings.engine import evaluate_case
    from yiwang.warnings.models import Warning

    # An owner known by name alone (no ID number): the same name in the same town is the same owner.
    boats = [vessel(f"浙普渔9002{i}", id_number="", crew=(False, False, True)) for i in range(3)]
    cases = [register_at_sea(vessels=[boat], incident="gear_damage") for boat in boats]
    [warning] = evaluate_case(cases[-1])  # the cases share no party and no vessel: only the owner
    assert warning.rule_id == "at_sea.vessel_repeat" and set(warning.cases.all()) == set(cases)
    assert "3 艘船舶" in warning.explanation and "欧**东" in warning.explanation
    wages = register_at_sea(vessels=[boats[0]], incident="crew_wages", crew=6, facts="船员要求结算。",
                            loss_amount=Decimal("600000"))
    call_command("evaluate_warnings")
    crew = Warning.objects.get(rule="at_sea.crew_wages")
    assert list(crew.cases.all()) == [wages] and crew.level == "orange"  # two of its three crew: no contract
    assert crew.numbers["crew_without_contract"] == 2
    assert Warning.objects.get(rule="harm.amount").cases.get() == wages  # the record's losses, not the claim


@pytest.mark.django_db
def test_the_vessel_page_shows_the_open_warnings_about_the_vessel_that_the_reader_may_see(cast, town_leader):
    from django.urls import reverse

    from yiwang.warnings.extensions import get_vessel_warnings
    from yiwang.warnings.models import Warning

    boat = vessel("浙普渔90031", registration_number="浙普渔(2021)FT-90031")
    in_liuheng = register_at_sea(vessels=[boat], people_involved=40, area=f_village())
    in_shenjiamen = register_at_sea(vessels=[boat], people_involved=6, area=f_village("330903001"))
    register_at_sea(vessels=[vessel("浙普渔90032", id_number="330903198101011236")], people_involved=8)  # another boat
    district, town = get_vessel_warnings(boat, cast.putuo_leader), get_vessel_warnings(boat, town_leader)
    assert [w.cases.get() for w in district] == [in_liuheng, in_shenjiamen]  # orange before yellow
    assert [w.cases.get() for w in town] == [in_liuheng]
    page = cast.client("putuo_leader").get(reverse("maritime:vessel_detail", args=[boat.pk]),
                                           HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "vessel-warnings" in page and district[0].explanation in page and "待处置 2 条" in page
    closed = district[0]
    Warning.objects.filter(pk=closed.pk).update(status="resolved")
    assert [w.pk for w in get_vessel_warnings(boat, cast.putuo_leader)] == [district[1].pk]
    staff = cast.client("putuo_staff").get(reverse("maritime:vessel_detail", args=[boat.pk])).content.decode()
    assert "vessel-warnings" not in staff  # no warning.view: no card
    assert get_vessel_warnings(boat, cast.liuheng_clerk) is None


def f_village(town="330903100"):
    from yiwang.testing import factories as f

    return f.village(town)
