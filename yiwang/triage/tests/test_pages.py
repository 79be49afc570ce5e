"""The suggestion's hook on the staff intake form and the online filing page, and its script."""

from django.contrib.staticfiles import finders


def test_the_intake_form_offers_the_suggestion_to_a_clerk(cast):
    page = cast.client("liuheng_clerk").get("/cases/new/").content.decode()
    assert 'class="triage-suggest" data-url="/api/v1/triage/"' in page and "triage/suggest.js" in page


def test_the_filing_page_guesses_for_the_citizen_through_the_public_endpoint(cast, client):
    page = client.get("/jf/PT/").content.decode()
    assert "我们猜您要申请的是" in page and 'data-url="/api/v1/triage/public/"' in page


def test_the_script_is_served_from_the_project_and_fetches_nothing_elsewhere():
    path = finders.find("triage/suggest.js")
    script = open(path, encoding="utf-8").read()
    assert "http://" not in script and "https://" not in script and "box.dataset.url" in script
