"""A party's own actions (answer, rating) follow the rules every action does: the score is checked by the
disputes app's own action and refused in the party's words; a case changed since the party's page read
it (a stale `version`) refuses and changes nothing."""

import pytest

from yiwang.cases.actions import StaleCase
from yiwang.cases.models import CaseEvent, FollowUp
from yiwang.online import actions
from yiwang.online.tests.factories import agreed_case, file_case


@pytest.mark.parametrize("bad", [0, 6, "x", None])
def test_a_score_out_of_range_is_refused_in_words_and_nothing_is_recorded(demo, outbox, bad):
    case, _ = agreed_case(demo)
    access = actions.do_open_access(case.parties.get(role="applicant"))[0]

    with pytest.raises(actions.RoomRefused, match="1至5分"):
        actions.do_rate_service(access, satisfaction=bad)

    access.refresh_from_db()
    assert access.rated_at is None and not FollowUp.objects.filter(case=case).exists()


def test_a_rating_at_a_stale_version_is_refused(demo, outbox):
    case, _ = agreed_case(demo)
    access = actions.do_open_access(case.parties.get(role="applicant"))[0]

    with pytest.raises(StaleCase):
        actions.do_rate_service(access, satisfaction=4, version=case.version - 1)

    access.refresh_from_db()
    assert access.rated_at is None and not FollowUp.objects.filter(case=case).exists()
    actions.do_rate_service(access, satisfaction=4, version=case.version)
    assert FollowUp.objects.get(case=case).satisfaction == 4


def test_an_answer_at_a_stale_version_is_refused(demo, outbox):
    case, _ = file_case()
    access = actions.do_open_access(case.parties.get(role="respondent"))[0]

    with pytest.raises(StaleCase):
        actions.do_answer_invitation(access, accept=True, version=case.version - 1)

    access.refresh_from_db()
    assert access.consent == "" and not CaseEvent.objects.filter(case=case, kind="respondent_accepted").exists()
    actions.do_answer_invitation(access, accept=True, version=case.version)
    assert CaseEvent.objects.filter(case=case, kind="respondent_accepted").exists()
