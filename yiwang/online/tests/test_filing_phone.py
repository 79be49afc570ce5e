"""The filing page a citizen fills on a phone: disputes only (the centre's services offered on their own),
a search over the types' other words, every error in one round with a summary linking to each field,
the optional fields folded away, no inline script."""

import re

from django.test import Client

from yiwang.areas.models import DisputeType
from yiwang.online.forms import get_filing_types
from yiwang.online.tests.test_filing import FILING, post


def test_the_type_list_holds_disputes_and_the_services_are_offered_on_their_own(demo):
    page = Client().get("/jf/PT/").text
    select = re.search(r'<select name="dispute_type".*?</select>', page, re.S).group(0)
    for service in DisputeType.objects.filter(service=True):
        assert f">{service.name}<" not in select
        assert service.name in page  # listed under the centre's services, with its window
    assert "婚姻家庭纠纷" in select and 'id="centre-services"' in page
    assert "<script>" not in page and "online/file.js" in page


def test_support_of_elderly_parents_is_found_by_its_own_word(demo):
    assert [t.code for t in get_filing_types("赡养")] == ["marriage_family"]
    page = Client().get("/jf/PT/?q=赡养").text
    select = re.search(r'<select name="dispute_type".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', select)
    assert [name for _pk, name in options] == ["婚姻家庭纠纷"]
    assert 'data-synonyms="赡养' in page
    nothing = Client().get("/jf/PT/?q=火星").text  # no match: the whole list, and a word saying so
    assert "没有与这些词相符的类型" in nothing and "邻里纠纷" in nothing


def test_every_error_in_one_round_with_a_summary_linking_to_each_field(demo, outbox):
    response = post(Client(), applicant_name="", applicant_phone="12", facts="", claims="")
    assert response.status_code == 200
    page = response.text
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    for field in ("applicant_name", "applicant_phone", "facts", "claims"):
        assert f'href="#id_{field}"' in summary, field
    assert page.index("error-summary") < page.index('method="post" novalidate')


def test_a_service_cannot_be_filed_online(demo, outbox):
    response = post(Client(), dispute_type="legal_aid")
    assert response.status_code == 200 and "dispute_type" in response.context["form"].errors


def test_the_optional_fields_are_folded_and_the_sea_fields_hidden_for_other_types(demo):
    page = Client().get("/jf/PT/").text
    assert re.search(r'<details class="more">.*name="respondent_id_number"', page, re.S)
    assert re.search(r'<fieldset class="maritime"[^>]* hidden disabled', page)
    assert FILING["dispute_type"] == "maritime"
