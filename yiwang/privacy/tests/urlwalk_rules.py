"""The privacy app's URLs in the project's URL walk (yiwang/core/tests/urlwalk.py)."""

from yiwang.core.tests.urlwalk import Missing, Rule, can

PK = lambda obj: {"pk": obj.pk}  # noqa: E731


def _parties(world):
    return [case.parties.order_by("pk").first() for case in world["cases"][:3]]


def _sees(user, party) -> bool:
    from yiwang.cases.models import Case

    return not isinstance(party, Missing) and Case.objects.visible_to(user, "pii.request").filter(
        pk=party.case_id).exists()


def _details(party):
    from yiwang.cases.models import Party

    return tuple(Party.objects.filter(pk=party.pk).values_list("name", "id_number", "phone", "address"))


CORRECT = Rule("post", objects=_parties, kwargs=PK, sees=_sees, version=_details,
               why="correct a party's details on a case where one handles requests")
CORRECT_API = Rule("post", api=True, objects=_parties, kwargs=PK, sees=_sees, version=_details,
                   why="POST /api/v1/privacy/parties/{id}/correct/")
EXPORT_API = Rule("post", api=True, why="POST /api/v1/privacy/export/ with an ID number or phone")

RULES = {
    "privacy:requests": Rule("page", allowed=can("pii.request"), denied=(403,),
                             why="the personal-data request form, for whoever handles requests"),
    "privacy:export": Rule("post", why="the JSON export of one person, posted from the request page"),
    "privacy:correct": CORRECT,
    "privacy-export-list": EXPORT_API, "privacy-export-list.format": EXPORT_API,
    "privacy-parties-correct": CORRECT_API, "privacy-parties-correct.format": CORRECT_API,
}
