"""The batches API (a bank's key or an operator's token), the banks' machine keys (created, rotated and
revoked by the centre; every use audited; a revoked key is a 401), and scope: a bank sees only its own
batches and cases on the pages, in the API and in the admin; another bank's batch is a 404."""

import pytest
from rest_framework.test import APIClient

from yiwang.accounts.models import User
from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Case
from yiwang.core.errors import PermissionRefused
from yiwang.finance.actions import do_create_key, do_revoke_key, do_rotate_key
from yiwang.finance.models import ApiKey, Bank, Batch
from yiwang.finance.tests.helpers import bank_of, csv_bytes, good_rows, submit, upload
from yiwang.testing import assert_not_found_for

URL = "/api/v1/finance/batches/"


def _key_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bank-Key {raw}")
    return client


@pytest.fixture
def key(cast):
    return do_create_key(bank_of(), by=cast.putuo_staff, name="核心系统")


def test_a_key_submits_json_rows_and_follows_the_batch(cast, key, django_capture_on_commit_callbacks):
    _key, raw = key
    client = _key_client(raw)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"rows": good_rows(3, prefix="API")}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 202, response.content
    batch_id = response.json()["id"]
    body = client.get(f"{URL}{batch_id}/").json()
    assert (body["status"], body["total"], body["accepted"], body["rejected"], body["duplicates"]) == ("done", 3, 3, 0, 0)
    again = client.post(URL, {"rows": good_rows(3, prefix="API")}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 200 and again.json()["id"] == batch_id
    assert AuditEvent.objects.filter(verb="finance.key_used", object_id=str(_key.pk)).count() >= 3


def test_a_key_submits_a_file_and_reads_the_row_report(cast, key, django_capture_on_commit_callbacks):
    rows = good_rows(2, prefix="FILE")
    rows[1]["借款人手机号码"] = "1"
    with django_capture_on_commit_callbacks(execute=True):
        response = _key_client(key[1]).post(URL, {"file": upload(csv_bytes(rows), "b.csv")}, format="multipart")
    assert response.status_code == 202, response.content
    body = _key_client(key[1]).get(f"{URL}{response.json()['id']}/").json()
    assert body["accepted"] == 1 and body["rejected"] == 1
    assert body["report"][0]["line"] == 3 and body["report"][0]["errors"][0]["column"] == "借款人手机号码"
    rows_page = _key_client(key[1]).get(f"{URL}{response.json()['id']}/rows/?outcome=accepted").json()
    assert rows_page["results"][0]["case_number"].startswith("PT-")


def test_wrong_headers_answer_400_naming_them(cast, key):
    headers = ["编号", *good_rows(1)[0].keys()][:-1]
    response = _key_client(key[1]).post(URL, {"file": upload(csv_bytes(good_rows(1), headers=headers), "b.csv")},
                                        format="multipart")
    assert response.status_code == 400 and "编号" in response.content.decode()
    assert not Batch.objects.exists()


def test_a_revoked_or_unknown_key_answers_401(cast, key):
    api_key, raw = key
    assert _key_client("yw_nonsense").get(URL).status_code == 401
    do_revoke_key(api_key, by=cast.putuo_staff)
    assert _key_client(raw).get(URL).status_code == 401
    assert AuditEvent.objects.filter(verb="finance.key_revoked").exists()


def test_rotating_a_key_revokes_the_old_one(cast, key):
    api_key, raw = key
    new, new_raw = do_rotate_key(api_key, by=cast.putuo_staff)
    assert _key_client(raw).get(URL).status_code == 401
    assert _key_client(new_raw).get(URL).status_code == 200
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None and new.replaces_id == api_key.pk
    assert not ApiKey.objects.filter(hashed__contains=new_raw).exists()  # only the hash is kept


def test_only_the_centre_manages_keys(cast):
    for who in ("bank_operator", "liuheng_clerk", "mediator_wang"):
        with pytest.raises(PermissionRefused):
            do_create_key(bank_of(), by=getattr(cast, who), name="x")


def _other_bank_batch(cast):
    return submit(cast.icbc_operator, rows=good_rows(2, prefix="ICBC"))


def test_a_bank_sees_only_its_own_batches_and_cases(cast, key):
    mine = submit(cast.bank_operator, rows=good_rows(2, prefix="MINE"))
    other = _other_bank_batch(cast)
    operator = cast.bank_operator
    assert list(Batch.objects.visible_to(operator)) == [mine]
    assert set(Case.objects.visible_to(operator).values_list("bank_case__batch", flat=True)) == {mine.pk}
    # pages
    client = cast.client("bank_operator")
    assert client.get(f"/finance/batches/{mine.pk}/").status_code == 200
    assert_not_found_for(client, f"/finance/batches/{other.pk}/")
    assert_not_found_for(client, f"/finance/batches/{other.pk}/report.xlsx")
    assert other.bank.short_name not in client.get("/finance/").content.decode()
    # API: the operator's token and the bank's key
    for api in (cast.api("bank_operator"), _key_client(key[1])):
        assert [b["id"] for b in api.get(URL).json()["results"]] == [mine.pk]
        assert api.get(f"{URL}{other.pk}/").status_code == 404
        assert api.get(f"{URL}{other.pk}/rows/").status_code == 404
    # the centre sees both
    assert {b["id"] for b in cast.api("putuo_staff").get(URL).json()["results"]} == {mine.pk, other.pk}


def test_the_admin_lists_only_what_the_reader_sees(cast):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    submit(cast.bank_operator, rows=good_rows(1, prefix="ADM"))
    _other_bank_batch(cast)
    request = RequestFactory().get("/admin/")
    request.user = cast.bank_operator
    assert site._registry[Batch].get_queryset(request).count() == 1  # (not staff: the admin does not open for them)
    request.user = cast.putuo_staff
    assert site._registry[Batch].get_queryset(request).count() == 2


def test_an_outsider_sees_no_desk(cast):
    assert cast.client("liuheng_clerk").get("/finance/").status_code == 404
    assert cast.client("putuo_staff").get("/finance/").status_code == 200


def test_the_desk_pages_work_for_the_operator(cast):
    client = cast.client("bank_operator")
    page = client.get("/finance/")
    assert page.status_code == 200 and 'id="template"' in page.content.decode()
    template = client.get("/finance/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    response = client.post("/finance/batches/new", {"file": upload(csv_bytes(good_rows(1, prefix="WEB")), "b.csv")})
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert response["Location"] == f"/finance/batches/{batch.pk}/"


def test_the_centre_creates_rotates_and_revokes_keys_on_the_page(cast):
    bank = bank_of()
    client = cast.client("putuo_staff")
    page = client.post(f"/finance/banks/{bank.pk}/keys/", {"name": "核心系统"})
    assert page.status_code == 200 and "yw_" in page.content.decode()
    key = ApiKey.objects.get()
    assert client.post(f"/finance/keys/{key.pk}/rotate").status_code == 200
    new = ApiKey.objects.exclude(pk=key.pk).get()
    assert client.post(f"/finance/keys/{new.pk}/revoke").status_code == 302
    assert not ApiKey.objects.filter(revoked_at__isnull=True).exists()
    assert_not_found_for(cast.client("bank_operator"), f"/finance/banks/{bank.pk}/keys/")


def test_there_are_at_least_eight_kinds_of_real_named_institutions_with_branches_and_operators(cast):
    from yiwang.finance.actions import get_submitting_banks

    banks = Bank.objects.all()
    assert banks.count() >= 8 and len({b.kind for b in banks}) >= 5
    for bank in banks:
        assert bank.branches.count() >= 1 and bank.organisation.illustrative
    operators = User.objects.filter(username__endswith="_operator")
    assert {get_submitting_banks(u)[0].pk for u in operators} == set(banks.values_list("pk", flat=True))
