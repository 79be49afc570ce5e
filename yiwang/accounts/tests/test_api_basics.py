"""The API's contract: token sign-in, pagination, the area filter and the published schema."""

from django.test import Client
from rest_framework.test import APIClient

from yiwang.testing import PASSWORD


def test_token_for_a_good_password_and_a_clear_refusal_for_a_bad_one(cast):
    client = APIClient()
    token = client.post("/api/v1/token", {"username": "liuheng_clerk", "password": PASSWORD}, format="json")
    assert token.status_code == 200 and len(token.json()["token"]) == 64
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get("/api/v1/centres/").status_code == 200
    bad = APIClient().post("/api/v1/token", {"username": "liuheng_clerk", "password": "wrong"}, format="json")
    assert bad.status_code == 400 and "detail" in bad.json()
    missing = APIClient().post("/api/v1/token", {"username": "liuheng_clerk"}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()


def test_api_needs_authentication(cast):
    assert APIClient().get("/api/v1/centres/").status_code in (401, 403)
    bogus = APIClient()
    bogus.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert bogus.get("/api/v1/centres/").status_code == 401


def test_pagination_shape_and_page_size_cap(cast):
    api = cast.api("putuo_leader")
    page = api.get("/api/v1/centres/?page_size=10").json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 96 and len(page["results"]) == 10 and page["previous"] is None
    assert "page=2" in page["next"]
    assert len(api.get("/api/v1/areas/?page_size=100000").json()["results"]) <= 500


def test_area_filter_is_a_subtree(cast):
    page = cast.api("putuo_leader").get("/api/v1/centres/?area=330903100&page_size=500").json()
    assert page["count"] > 1 and all(c["area"].startswith("330903100") for c in page["results"])


def test_openapi_schema_is_published_with_docs_to_signed_in_users(cast):
    assert Client().get("/api/v1/openapi.json").status_code in (401, 403)  # DEBUG=0: sign in first
    schema = cast.client("putuo_clerk").get("/api/v1/openapi.json")
    assert schema.status_code == 200
    doc = schema.json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/token", "/api/v1/centres/", "/api/v1/windows/", "/api/v1/teams/",
                 "/api/v1/organisations/", "/api/v1/areas/"):
        assert path in doc["paths"], path
    docs = cast.client("putuo_clerk").get("/api/v1/docs/")
    assert docs.status_code == 200
    # Offline: the docs page loads its assets from this server, never a CDN.
    assert b"cdn" not in docs.content.lower() and b"https://" not in docs.content
