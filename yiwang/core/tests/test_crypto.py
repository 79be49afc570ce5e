"""Personal data at rest: authenticated encryption, keyed hashes for search, keys from settings, rotation."""

import base64
from io import StringIO

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from yiwang.core import crypto
from yiwang.core.checks import check_data_keys


def b64(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()


def test_a_value_encrypts_differently_each_time_and_decrypts_back():
    first, second = crypto.encrypt("13905751234"), crypto.encrypt("13905751234")
    assert first != second and first.startswith("v1$dev$") and "13905751234" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "13905751234"
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_an_altered_value_or_an_unknown_key_is_refused_not_misread():
    sealed = crypto.encrypt("330602198805120025")
    body = sealed.rsplit("$", 1)[1]
    altered = sealed[: -len(body)] + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(altered)
    with pytest.raises(crypto.DecryptionError, match="old"):
        crypto.decrypt(sealed.replace("v1$dev$", "v1$old$"))


def test_values_are_normalised_before_hashing():
    assert crypto.normalise("id_number", " 33060219880512002x ") == "33060219880512002X"
    assert crypto.normalise("phone", "+86 139-0575-1234") == crypto.normalise("phone", "１３９０５７５１２３４")
    assert crypto.blind_hash("phone", "008613905751234") == crypto.blind_hash("phone", "13905751234")
    assert crypto.blind_hash("phone", "13905751234") != crypto.blind_hash("id_number", "13905751234")
    assert crypto.blind_hash("phone", "") == "" and crypto.lookup_hashes("phone", "王伟") == []


@pytest.mark.parametrize("text, message", [
    ("nokey", "ID:BASE64"), ("a:b:c", "base64"), ("a:" + b64(b"short"), "32 bytes"),
    (f"a:{b64(bytes(32))},a:{b64(bytes(32))}", "twice"),
])
def test_badly_written_keys_stop_the_start_with_the_reason(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.parse_keys(text, "YIWANG_DATA_KEYS")


def test_production_without_keys_refuses_to_start_and_with_them_starts():
    with override_settings(DEBUG=False, TESTING=False, DATA_KEYS="", DATA_HMAC_KEYS=""):
        errors = check_data_keys()
        assert [e.id for e in errors] == ["yiwang.E010"] and "YIWANG_DATA_KEYS" in errors[0].msg
        with pytest.raises(ImproperlyConfigured):
            crypto.encrypt("13905751234")
    with override_settings(DEBUG=False, TESTING=False, DATA_KEYS=f"k1:{crypto.new_key()}", DATA_HMAC_KEYS=""):
        assert "both" in check_data_keys()[0].msg
    keys = f"k2:{crypto.new_key()}\nk1:{crypto.new_key()}\n"  # a file: one a line
    with override_settings(DEBUG=False, TESTING=False, DATA_KEYS=keys, DATA_HMAC_KEYS=f"h1:{crypto.new_key()}"):
        assert check_data_keys() == []
        assert crypto.encrypt("1").startswith("v1$k2$")


def test_equality_on_an_encrypted_column_is_refused_except_emptiness(db):
    from yiwang.cases.models import Party

    assert not Party.objects.exclude(phone="").exists()
    with pytest.raises(FieldError, match="match"):
        list(Party.objects.filter(phone="13905751234"))
    with pytest.raises(FieldError):
        list(Party.objects.filter(id_number__icontains="3306"))


def raw(model, pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotate_keys_reencrypts_and_rehashes_and_search_holds_throughout(demo):
    from yiwang.cases.models import Case, Party
    from yiwang.testing.factories import applicant, register_case

    case = register_case(applicants=[applicant(id_number="330602198805120025", phone="13905751234")])
    party = case.parties.get()
    old_keys = crypto.get_keys()
    old_data, old_hmac = b64(old_keys.encryption[0][1]), b64(old_keys.hashing[0])
    assert crypto.key_id_of(raw(Party, party.pk, "phone")) == "dev"
    rotating = {"DATA_KEYS": f"k2:{crypto.new_key()},dev:{old_data}",
                "DATA_HMAC_KEYS": f"h2:{crypto.new_key()},h1:{old_hmac}"}
    with override_settings(**rotating):
        assert Case.objects.search("13905751234").get() == case  # the old hash is still looked up
        with pytest.raises(CommandError):
            call_command("rotate_keys", "--check", stdout=StringIO())
        out = StringIO()
        call_command("rotate_keys", "--batch", "1", stdout=out)
        assert "cases.Party: 1 row(s) rewritten" in out.getvalue()
        assert crypto.key_id_of(raw(Party, party.pk, "id_number")) == "k2"
        assert raw(Party, party.pk, "phone_hash") == crypto.blind_hash("phone", "13905751234")
        out = StringIO()
        call_command("rotate_keys", stdout=out)  # idempotent: nothing left to do
        assert "cases.Party: 0 row(s)" in out.getvalue()
        call_command("rotate_keys", "--check", stdout=StringIO())
        new_only = {name: value.split(",")[0] for name, value in rotating.items()}
    with override_settings(**new_only):  # the old keys retired
        assert Case.objects.search("330602198805120025").get() == case
        party = Party.objects.get(pk=party.pk)
        assert (party.id_number, party.phone) == ("330602198805120025", "13905751234")


def test_new_key_prints_a_usable_key():
    out = StringIO()
    call_command("rotate_keys", "--new-key", stdout=out)
    assert len(crypto.parse_keys(out.getvalue().strip(), "YIWANG_DATA_KEYS")) == 1
