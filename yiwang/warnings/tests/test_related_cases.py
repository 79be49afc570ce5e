"""Which cases a case may form a group with (warnings.engine.related_cases)."""

from yiwang.areas.models import Area
from yiwang.cases.models import Case
from yiwang.testing.factories import applicant, register_case
from yiwang.warnings.engine import related_cases


def _village_of_another_county() -> str:
    # 定海区 (330902): divisions of a neighbouring county, for a case moved there behind the actions.
    county = Area.objects.create(code="330902", name="定海区", level="county", parent_id="3309")
    town = Area.objects.create(code="330902001", name="解放街道", level="township", parent=county)
    return Area.objects.create(code="330902001001", name="某社区", level="village", parent=town).code


def test_a_name_alone_relates_cases_of_one_county_and_an_id_number_the_whole_province(cast):
    name = applicant()["name"]
    case = register_case(applicants=[applicant(name=name)])
    same_county = register_case(applicants=[applicant(name=name)])
    elsewhere = register_case(applicants=[applicant(name=name)])
    Case.objects.filter(pk=elsewhere.pk).update(area_id=_village_of_another_county())
    assert set(related_cases(case).values_list("pk", flat=True)) == {case.pk, same_county.pk}

    person = {"id_number": "330903199001011234"}
    first = register_case(applicants=[applicant(name=name, **person)])
    moved = register_case(applicants=[applicant(name="另一个名字", **person)])
    Case.objects.filter(pk=moved.pk).update(area_id="330902001001")
    assert {first.pk, moved.pk} <= set(related_cases(first).values_list("pk", flat=True))
