"""Personal data at rest (PIPL, 等保 2.0 level 3): ID numbers and mobile numbers are stored encrypted.

- `EncryptedCharField` / `EncryptedJSONField`: plain text (or a JSON value) for the code, AES-256-GCM
  ciphertext in the database (`v1$<key id>$<base64 nonce‖ciphertext‖tag>`). The empty string stays empty,
  so `exclude(phone="")` still works; any other equality lookup on an encrypted column is refused (the
  ciphertext differs every time, so it would silently match nothing): filter on the keyed hash instead.
- `BlindIndexField`: beside an encrypted column, the HMAC-SHA256 of the normalised value (ID number
  upper-cased, mobile as 11 digits), indexed, kept current on every save and bulk insert. Searches and
  duplicate checks filter with `match("phone", value)` → `Q(phone_hash__in=…)`.

Keys come from settings (`YIWANG_DATA_KEYS`, `YIWANG_DATA_HMAC_KEYS` or their `*_FILE`): several
encryption keys with ids, the first encrypts and every one decrypts; several HMAC keys, the first hashes and
every one is looked up (so a search keeps finding rows while `yiwang rotate_keys` rehashes them). In DEBUG
or under tests a key is derived from SECRET_KEY; otherwise there is none and a system check stops start-up.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact, IsNull

PREFIX = "v1$"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value does not decrypt with any configured key (wrong key, or the value was altered)."""


@dataclass(frozen=True)
class Keys:
    encryption: tuple[tuple[str, bytes], ...]  # (id, 32-byte key); the first encrypts
    hashing: tuple[bytes, ...]  # the first hashes; all are looked up
    derived: bool  # the DEBUG/testing default, derived from SECRET_KEY


def _decode_key(raw: str, what: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{what}: a key is not base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{what}: each key must be 32 bytes (base64 of 32 random bytes), "
                                   f"one is {len(key)}.")
    return key


def parse_keys(text: str, what: str) -> list[tuple[str, bytes]]:
    """`id:base64key` items separated by commas, spaces or new lines (a file holds one a line)."""
    keys, seen = [], set()
    for item in re.split(r"[\s,]+", text or ""):
        if not item:
            continue
        key_id, sep, raw = item.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(f"{what}: write each key as ID:BASE64 (an id of 1–16 letters, "
                                       "digits, - or _).")
        if key_id in seen:
            raise ImproperlyConfigured(f"{what}: key id {key_id!r} appears twice.")
        seen.add(key_id)
        keys.append((key_id, _decode_key(raw, what)))
    return keys


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"yiwang:{purpose}:{settings.SECRET_KEY}".encode()).digest()


@cache
def get_keys() -> Keys:
    """The configured keys, or the derived development default (DEBUG or testing only)."""
    encryption = parse_keys(getattr(settings, "DATA_KEYS", ""), "YIWANG_DATA_KEYS")
    hashing = [k for _, k in parse_keys(getattr(settings, "DATA_HMAC_KEYS", ""), "YIWANG_DATA_HMAC_KEYS")]
    if encryption and hashing:
        return Keys(tuple(encryption), tuple(hashing), derived=False)
    if encryption or hashing:
        raise ImproperlyConfigured("Set both YIWANG_DATA_KEYS and YIWANG_DATA_HMAC_KEYS, or neither.")
    if settings.DEBUG or getattr(settings, "TESTING", False):
        return Keys((("dev", _derived("data-key")),), (_derived("hmac-key"),), derived=True)
    raise ImproperlyConfigured("YIWANG_DATA_KEYS and YIWANG_DATA_HMAC_KEYS (or their *_FILE) must be set when "
                               "DEBUG is off: personal data is stored encrypted (README “Personal data at rest”).")


def _reset(**kwargs):
    get_keys.cache_clear()


setting_changed.connect(_reset)


def new_key() -> str:
    """A fresh random key, base64 (for `yiwang rotate_keys --new-key`)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


# -- encryption ----------------------------------------------------------------------------------------

def encrypt(text: str) -> str:
    """Ciphertext of `text` under the first key; the empty string stays empty."""
    if not text:
        return text
    key_id, key = get_keys().encryption[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, text.encode(), f"yiwang:{key_id}".encode())
    return f"{PREFIX}{key_id}${base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def key_id_of(stored: str) -> str:
    """The id of the key that encrypted `stored`, "" for a value stored in plain text (before encryption)."""
    if not stored or not stored.startswith(PREFIX):
        return ""
    return stored[len(PREFIX):].split("$", 1)[0]


def decrypt(stored: str) -> str:
    """The plain text of a stored value. A value without the prefix was written before encryption was
    introduced (the data migrations and `rotate_keys` encrypt those) and is returned as it is."""
    if not stored or not stored.startswith(PREFIX):
        return stored
    key_id, _, body = stored[len(PREFIX):].partition("$")
    key = dict(get_keys().encryption).get(key_id)
    if key is None:
        raise DecryptionError(f"no key with id {key_id!r} is configured (YIWANG_DATA_KEYS)")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], f"yiwang:{key_id}".encode()).decode()
    except InvalidTag as exc:
        raise DecryptionError(f"a value under key {key_id!r} fails authentication") from exc


# -- keyed hashes for search -----------------------------------------------------------------------------

def normalise(kind: str, value) -> str:
    """ID numbers: upper case without spaces; mobiles: digits only, +86/0086 dropped (11 digits); any
    other text ("text": an e-mail, an account id) as it is, trimmed."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if kind == "id_number":
        return re.sub(r"\s+", "", text).upper()
    if kind == "phone":
        digits = re.sub(r"\D", "", text)
        for country in ("0086", "86"):
            if len(digits) == 11 + len(country) and digits.startswith(country):
                return digits[len(country):]
        return digits
    if kind == "text":
        return text
    raise ValueError(f"unknown kind {kind!r}")


def _hash(key: bytes, kind: str, normalised: str) -> str:
    return hmac.new(key, f"{kind}\x00{normalised}".encode(), hashlib.sha256).hexdigest()


def blind_hash(kind: str, value) -> str:
    """The keyed hash stored beside the ciphertext (current HMAC key); "" for an empty value."""
    normalised = normalise(kind, value)
    return _hash(get_keys().hashing[0], kind, normalised) if normalised else ""


def lookup_hashes(kind: str, value) -> list[str]:
    """Every hash `value` may be stored under (one per configured HMAC key); [] for an empty value."""
    normalised = normalise(kind, value)
    return [_hash(key, kind, normalised) for key in get_keys().hashing] if normalised else []


def kind_of(field_name: str) -> str:
    return "id_number" if field_name.endswith("id_number") else "phone"


def match(field: str, value, *, kind: str = "") -> Q:
    """Q for rows whose encrypted `field` (a path such as "parties__phone" works too) equals `value` once
    normalised; matches nothing for an empty value."""
    return Q(**{f"{field}_hash__in": lookup_hashes(kind or kind_of(field), value)})


def match_any(field: str, values, *, kind: str = "") -> Q:
    """Q for rows whose encrypted `field` equals one of `values`."""
    hashes = sorted({h for v in values for h in lookup_hashes(kind or kind_of(field), v)})
    return Q(**{f"{field}_hash__in": hashes})


# -- model fields ------------------------------------------------------------------------------------------

class _RefusedLookup(Exact):
    """Equality on ciphertext can only test emptiness; anything else must go through the keyed hash."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name} is encrypted: filter with yiwang.core.crypto.match() "
                             "on its keyed hash instead.")
        return self.rhs


class _EncryptedMixin:
    def get_internal_type(self):
        return "TextField"

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _RefusedLookup
        if lookup_name == "isnull":
            return IsNull
        return None  # contains, in, startswith…: FieldError "Unsupported lookup"


class EncryptedCharField(_EncryptedMixin, models.CharField):
    """A CharField whose value is encrypted in the database (max_length bounds the plain text)."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("db_index", None)  # an index over ciphertext finds nothing: index the hash instead
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


class EncryptedJSONField(_EncryptedMixin, models.TextField):
    """A JSON value (the agreement's parties, a bank's row) stored as one encrypted text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return json.loads(decrypt(value)) if value else value

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) and value else value

    def get_prep_value(self, value):
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)


class BlindIndexField(models.CharField):
    """The indexed keyed hash of another field's normalised value, computed whenever the row is written
    (save, create, bulk_create). A `save(update_fields=[source])` must name this field too."""

    def __init__(self, *args, source: str = "", kind: str = "", **kwargs):
        self.source, self.kind = source, kind or kind_of(source)
        kwargs.update(max_length=64, blank=True, editable=False, default="")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "blank", "editable", "default", "db_index"):
            kwargs.pop(key, None)
        if not self.db_index:
            kwargs["db_index"] = False
        kwargs["source"] = self.source
        if self.kind != kind_of(self.source):
            kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = blind_hash(self.kind, getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField | EncryptedJSONField)]


def blind_fields(model) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
