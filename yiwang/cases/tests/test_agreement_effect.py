"""When an agreement takes effect (People's Mediation Law arts. 28–29; issue 16): a written agreement is a
draft until every party has signed (here on paper: a scan of the signed page and the witness), the
mediator has signed and the committee's seal is applied; `effective_on` is the seal's date and
`signed_on` the last signature's, never typed. Until then the case stays in mediation and nothing that
needs an agreement in effect is possible. An oral agreement takes effect when recorded with the
parties' confirmation and never goes to the court for confirmation."""

import datetime as dt
import subprocess

import pytest
import time_machine
from django.utils import timezone

from yiwang.cases import actions
from yiwang.cases.documents import render_agreement
from yiwang.cases.models import Status
from yiwang.testing.factories import agreement_fields, make_case, scan_file

DAY = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Monday


def drafted(cast):
    case = make_case("mediating", respondents=[{"name": "欧阳海", "phone": "13857009911"}])
    return actions.do_record_agreement(case, by=cast.mediator_wang, **agreement_fields())


def test_a_draft_takes_effect_only_after_every_party_the_mediator_and_the_seal(cast, tmp_path):
    with time_machine.travel(DAY, tick=False):
        case = drafted(cast)
        assert case.status == Status.MEDIATING and case.agreement.effective_on is None
        # Nothing that needs an agreement in effect, and no step out of order.
        for refused in (lambda c: actions.do_apply_confirmation(c, by=cast.mediator_wang),
                        lambda c: actions.do_record_performance(c, by=cast.mediator_wang),
                        lambda c: actions.do_sign_agreement(c, by=cast.mediator_wang),
                        lambda c: actions.do_seal_agreement(c, by=cast.mediator_wang)):
            with pytest.raises(actions.IllegalTransition):
                refused(case)
        applicant, respondent = case.parties.order_by("role", "id")
        # A paper signature needs the scan of the signed page and who witnessed it; a refusal keeps nothing.
        with pytest.raises(actions.CaseInputError) as error:
            actions.do_record_paper_signature(case, by=cast.mediator_wang, party=applicant, scan=None, witness="")
        assert {"scan", "witness"} <= set(error.value.message_dict)
        with pytest.raises(actions.PermissionRefused):  # a mediator, but not this case's
            actions.do_record_paper_signature(case, by=cast.maritime_mediator, party=applicant, scan=scan_file(),
                                              witness="海事调解员")
        assert not case.agreement.signatures.exists() and not case.attachments.exists()
        actions.do_record_paper_signature(case, by=cast.mediator_wang, party=applicant, scan=scan_file(),
                                          witness="王调解员")
        case.refresh_from_db()
        with pytest.raises(actions.CaseInputError):  # once per party
            actions.do_record_paper_signature(case, by=cast.mediator_wang, party=applicant, scan=scan_file(),
                                              witness="王调解员")
        with pytest.raises(actions.IllegalTransition):  # the respondent has not signed
            actions.do_sign_agreement(case, by=cast.mediator_wang)
        with pytest.raises(actions.IllegalTransition):  # signing has started: no redrafting
            actions.do_record_agreement(case, by=cast.mediator_wang, **agreement_fields())
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        actions.do_record_paper_signature(case, by=cast.mediator_wang, party=respondent, scan=scan_file(),
                                          witness="王调解员")
        case.refresh_from_db()
        with pytest.raises(actions.PermissionRefused):  # centre staff seal, but only the mediator signs
            actions.do_sign_agreement(case, by=cast.putuo_staff)
        case = actions.do_sign_agreement(case, by=cast.mediator_wang)
        assert case.status == Status.MEDIATING
    with time_machine.travel(DAY + dt.timedelta(days=2), tick=False):
        case = actions.do_seal_agreement(case, by=cast.putuo_staff)
        agreement = case.agreement
        assert case.status == Status.AGREED
        assert agreement.signed_on == dt.date(2026, 11, 17) and agreement.effective_on == dt.date(2026, 11, 18)
        assert case.deadline == dt.date(2026, 12, 18)  # the 30 days of art. 33 run from the seal
        assert agreement.invariant_errors() == [] and case.agreement_errors() == []
        assert [s.role for s in agreement.signatures.order_by("signed_at")] == [
            "applicant", "respondent", "mediator", "committee"]
        # The printed copy carries each signer and the date each signed in its own signature block.
        path = tmp_path / "agreement.pdf"
        path.write_bytes(render_agreement(case))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        block = text[text.rindex("签名、盖章或按指印") - 600:]  # the signature block, at the end
        for expected in (f"申请人 {applicant.name}", f"被申请人 {respondent.name}", "纸质签署，见证人：王调解员",
                         "2026年11月16日", "2026年11月17日", "2026年11月18日", "人民调解委员会", "已加盖印章",
                         "生效日期：2026年11月18日"):
            assert expected in block, expected
        assert "草稿" not in text


def test_an_oral_agreement_takes_effect_on_record_and_is_never_sent_for_confirmation(cast):
    case = make_case("mediating")
    with pytest.raises(actions.CaseInputError) as error:
        actions.do_record_oral_agreement(case, by=cast.mediator_wang, **agreement_fields())
    assert "parties_confirmed" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == Status.MEDIATING and not hasattr(case, "agreement")
    case = actions.do_record_oral_agreement(case, by=cast.mediator_wang, parties_confirmed=True,
                                            **agreement_fields())
    assert case.status == Status.AGREED and case.agreement.oral
    assert case.agreement.effective_on == timezone.localdate() and case.agreement_errors() == []
    assert not {"apply_confirmation", "record_paper_signature", "sign_agreement", "seal_agreement"} & set(
        actions.get_available_actions(case, cast.mediator_wang))
    with pytest.raises(actions.IllegalTransition):
        actions.do_apply_confirmation(case, by=cast.mediator_wang)
    case = actions.do_record_performance(case, by=cast.mediator_wang, completed=True)
    assert case.status == Status.PERFORMING
