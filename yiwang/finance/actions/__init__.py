"""Every state change of the financial desk: the banks' API keys (created, rotated, revoked by the centre),
submitting a batch, and processing it (the job `finance.batch`).

Who may do what, read from the grants (data), never from a role's name:
- submitting for a bank: `case.intake` under a grant limited to that bank's organisation (its operators,
  and the service account its API keys act as);
- managing a bank's keys: `masterdata.change` under a grant not limited to an organisation, covering the
  bank's area (the centre's staff).
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Grant, Role
from yiwang.cases.actions.bulk import BulkItem, do_register_cases, insert_rows
from yiwang.cases.models import Channel, PartyKind
from yiwang.core import audit, uploads
from yiwang.core.errors import IdempotencyConflict, InputError, PermissionRefused
from yiwang.core.jobs import start_job
from yiwang.core.scope import get_grants, user_can
from yiwang.finance import rows as R
from yiwang.finance.models import (
    ApiKey,
    Bank,
    BankCase,
    Batch,
    BatchRow,
    BatchStatus,
    Desk,
    DisputeKind,
    RowOutcome,
    hash_key,
    is_centre_user,
)

KEY_PREFIX = "yw_"
SERVICE_ROLE = "bank_operator"
REGISTER_CHUNK = 5000  # rows per transaction: a failure loses at most this much work, never a number


# ----------------------------------------------------------------------------------------------- who


def get_submitting_banks(user) -> list[Bank]:
    """The banks `user` submits for: those of their grants limited to a bank carrying case.intake."""
    ids = {g.organisation_id for g in get_grants(user) if g.organisation_id and "case.intake" in g.role.actions}
    return list(Bank.objects.filter(organisation_id__in=ids).select_related("organisation"))


def check_may_manage(by, bank: Bank) -> None:
    if not (is_centre_user(by, "masterdata.change") and user_can(by, "masterdata.change", bank.organisation.area_id)):
        raise PermissionRefused(_("Only the centre manages a bank's API keys."))


# ----------------------------------------------------------------------------------------------- keys


def get_service_user(bank: Bank):
    """The account a bank's keys act as: it cannot sign in, and holds one bank_operator grant limited
    to the bank, so a key reaches exactly what the bank's operators reach."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=f"bank-api-{bank.pk}", defaults={"display_name": f"{bank.short_name}（系统对接）"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Grant.objects.get_or_create(user=user, role=Role.objects.get(code=SERVICE_ROLE), area=bank.organisation.area,
                                defaults={"organisation": bank.organisation})
    return user


def _new_key(bank: Bank, *, by, name: str, replaces: ApiKey | None = None) -> tuple[ApiKey, str]:
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        bank=bank, name=name[:60], prefix=raw[:10], hashed=hash_key(raw), user=get_service_user(bank),
        created_by=by, created_at=timezone.now(), replaces=replaces)
    return key, raw


@transaction.atomic
def do_create_key(bank: Bank, *, by, name: str) -> tuple[ApiKey, str]:
    """A new key for the bank's core system; returns it with the key itself, shown this once."""
    check_may_manage(by, bank)
    name = (name or "").strip()
    if not name:
        raise InputError({"name": _("Name the key (e.g. the system that will use it).")})
    key, raw = _new_key(bank, by=by, name=name)
    audit.record(by, "finance.key_created", key, area_code=bank.organisation.area_id, bank=bank.pk, prefix=key.prefix)
    return key, raw


@transaction.atomic
def do_rotate_key(key: ApiKey, *, by) -> tuple[ApiKey, str]:
    """Replace a key: the old one is revoked now, the new one (same name) returned with its secret."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    check_may_manage(by, key.bank)
    if not key.is_active:
        raise InputError({"key": _("This key is revoked; create a new one.")})
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    new, raw = _new_key(key.bank, by=by, name=key.name, replaces=key)
    audit.record(by, "finance.key_rotated", new, area_code=key.bank.organisation.area_id, old=key.prefix,
                 prefix=new.prefix)
    return new, raw


@transaction.atomic
def do_revoke_key(key: ApiKey, *, by) -> ApiKey:
    """Revoke a key: from now on it answers 401."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    check_may_manage(by, key.bank)
    if key.is_active:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(by, "finance.key_revoked", key, area_code=key.bank.organisation.area_id, prefix=key.prefix)
    return key


# ----------------------------------------------------------------------------------------------- submitting


def _resolve_bank(by, bank) -> Bank:
    banks = get_submitting_banks(by)
    if bank is not None:
        chosen = next((b for b in banks if b.pk == getattr(bank, "pk", bank)), None)
        if chosen is None:
            raise PermissionRefused(_("You may not submit cases for this bank."))
        return chosen
    if len(banks) != 1:
        raise PermissionRefused(_("Only a bank's operator submits its cases.") if not banks
                                else _("Choose the bank you submit for."))
    return banks[0]


def _check_file(file) -> None:
    """core.uploads' policy (the content decides, the name must agree) with the batch's own size limit:
    100,000 rows are more than the documents' MAX_UPLOAD_MB."""
    if not getattr(file, "size", None):
        raise InputError({"file": _("Choose a file.") if file is None else _("The file is empty.")})
    if file.size > settings.FINANCE_BATCH_MAX_MB * 1024 * 1024:
        raise InputError({"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.FINANCE_BATCH_MAX_MB}})
    kind = uploads.sniff(file)
    extension = (getattr(file, "name", "") or "").rsplit(".", 1)[-1].lower()
    if kind not in (uploads.XLSX, uploads.TEXT) or extension not in ("xlsx", "csv"):
        raise InputError({"file": _("Submit an Excel workbook (.xlsx) or a CSV file (UTF-8 or GB18030).")})
    if (kind == uploads.XLSX) != (extension == "xlsx"):
        raise InputError({"file": _("The file is named .%(extension)s but holds something else: rename it or "
                                    "choose the right file.") % {"extension": extension}})


def do_submit_batch(*, by, file=None, rows=None, bank=None, idempotency_key: str = "") -> Batch:
    """Take a bank's batch (a file, or JSON rows keyed by the template's headers) and queue it. The
    headers are checked now (a wrong one refuses the whole file); the rows when the job runs. The same
    idempotency key again returns the first batch and queues nothing."""
    bank = _resolve_bank(by, bank)
    idempotency_key = (idempotency_key or "").strip()[:100]
    if idempotency_key:
        existing = Batch.objects.filter(bank=bank, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, file, rows, idempotency_key)
    if (file is None) == (rows is None):
        raise InputError({"file": _("Send a file or a list of rows.")})
    if file is not None:
        _check_file(file)
        data = file.read()
        R.read_headers(data)
        name = (getattr(file, "name", "") or "batch").rsplit("/", 1)[-1][:200]
        stored = ContentFile(data, name="batch.xlsx" if data[:4] == b"PK\x03\x04" else "batch.csv")
    else:
        R.read_json_rows(rows)
        name = "API"
        stored = ContentFile(json.dumps(rows, ensure_ascii=False).encode(), name="batch.json")
    try:
        with transaction.atomic():
            batch = Batch(bank=bank, submitted_by=by, submitted_at=timezone.now(), name=name,
                          idempotency_key=idempotency_key)
            batch.source.save(stored.name, stored, save=False)
            batch.save()
            batch.job = start_job("finance.batch", by=by, target=batch, area_code=bank.organisation.area_id,
                                  params={"batch": batch.pk})
            batch.save(update_fields=["job"])
            audit.record(by, "finance.batch_submitted", batch, area_code=bank.organisation.area_id, name=name)
    except IntegrityError:
        existing = Batch.objects.filter(bank=bank, idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        return _replayed(existing, file, rows, idempotency_key)
    batch.just_created = True
    return batch


def _replayed(existing: Batch, file, rows, key: str) -> Batch:
    """The batch a repeated Idempotency-Key submitted; a different file or rows under the same key is
    refused (422), compared with the file the first request stored."""
    if file is not None:
        file.seek(0)
        incoming = file.read()
        file.seek(0)
    elif rows is not None:
        incoming = json.dumps(rows, ensure_ascii=False).encode()
    else:
        incoming = None
    if incoming is not None:
        with existing.source.open("rb") as stored:
            same = hashlib.sha256(stored.read()).digest() == hashlib.sha256(incoming).digest()
        if not same:
            raise IdempotencyConflict(
                _("The Idempotency-Key %(key)s was already used for batch %(id)s with different content: resend "
                  "that batch unchanged, or use a new key for a new batch.") % {"key": key, "id": existing.pk})
    existing.just_created = False
    return existing


# ----------------------------------------------------------------------------------------------- processing

# Where an error of cases.actions.bulk lands in the bank's row.
FIELD_COLUMNS = {
    "area": "区划代码", "claims": "诉求", "amount": "欠款本金", "respondents[0].name": "借款人姓名",
    "respondents[0].id_number": "借款人身份证号码", "respondents[0].phone": "借款人手机号码",
    "respondents[0].address": "借款人住址",
}


def _facts(bank: Bank, c: dict) -> str:
    kind = DisputeKind(c["kind"]).label
    parts = [f"{bank}与借款人{c['name']}{kind}"]
    if c["contract_number"]:
        parts.append(f"合同编号{c['contract_number']}")
    if c["借款本金"] is not None:
        parts.append(f"借款本金{c['借款本金']}元")
    parts.append(f"欠款本金{c['欠款本金']}元、利息{c['欠款利息'] or 0}元、违约金及其他费用{c['违约金及其他费用'] or 0}元")
    if c["overdue_since"]:
        parts.append(f"自{c['overdue_since']:%Y-%m-%d}起逾期")
    return "，".join(parts) + "。"


def _item(bank: Bank, desk: Desk | None, c: dict) -> BulkItem:
    owed = c["欠款本金"] + (c["欠款利息"] or 0) + (c["违约金及其他费用"] or 0)
    values = {
        "channel": Channel.BANK, "dispute_type": "financial", "area": c["area"] or bank.organisation.area_id,
        "facts": _facts(bank, c), "claims": c["claims"], "amount": owed,
        "applicants": [{"kind": PartyKind.ORGANISATION, "name": bank.organisation.name,
                        "credit_code": bank.organisation.credit_code}],
        "respondents": [{"kind": PartyKind.PERSON, "name": c["name"], "id_number": c["id_number"],
                         "phone": c["phone"], "address": c["address"]}],
    }
    if desk is not None:  # the financial disputes window and committee, as configured
        values.update(window=desk.window, tier=desk.window.centre.level, team=desk.team)
    return BulkItem(values=values)


BANK_CASE_COLUMNS = ["case_id", "bank_id", "batch_id", "reference", "kind", "contract_number", "principal",
                     "outstanding_principal", "interest", "penalty", "overdue_since", "annual_rate", "guarantee",
                     "rate_flagged"]
BATCH_ROW_COLUMNS = ["batch_id", "line", "reference", "outcome", "errors", "flags", "values", "case_id"]


def _bank_case(bank: Bank, batch: Batch, case, c: dict, flagged: bool) -> tuple:
    """A BankCase row (BANK_CASE_COLUMNS) for one accepted row."""
    return (case.pk, bank.pk, batch.pk, c["reference"], c["kind"], c["contract_number"], c["借款本金"], c["欠款本金"],
            c["欠款利息"] or 0, c["违约金及其他费用"] or 0, c["overdue_since"], c["annual_rate"], c["guarantee"], flagged)


def _existing_references(bank: Bank, references) -> set[str]:
    found, references = set(), sorted(references)
    for start in range(0, len(references), 2000):
        found.update(BankCase.objects.filter(bank=bank, reference__in=references[start:start + 2000])
                     .values_list("reference", flat=True))
    return found


def _register_chunk(batch: Batch, bank: Bank, desk, chunk: list[R.CheckedRow], seen: dict) -> dict:
    """One transaction: the chunk's good rows become cases (with their BankCase), every row its
    BatchRow. Returns the counts. Raises IntegrityError when another batch took a reference meanwhile."""
    counts = {"accepted": 0, "rejected": 0, "duplicates": 0, "flagged": 0}
    existing = _existing_references(bank, {r.clean["reference"] for r in chunk if not r.errors})
    outcomes, candidates, pending = {}, [], {}
    for row in chunk:
        ref = row.clean.get("reference", "")
        if row.errors:
            outcomes[row.line] = RowOutcome.REJECTED
        elif ref in existing:
            outcomes[row.line] = RowOutcome.DUPLICATE
            row.errors.append(("银行业务编号", _("Already submitted in an earlier batch: nothing was created.")))
        elif ref in seen or ref in pending:
            outcomes[row.line] = RowOutcome.DUPLICATE
            row.errors.append(("银行业务编号", _("Repeats row %(line)s of this file: nothing was created.")
                               % {"line": seen.get(ref) or pending[ref]}))
        else:
            candidates.append(row)
            pending[ref] = row.line
    with transaction.atomic():
        items = do_register_cases([_item(bank, desk, row.clean) for row in candidates], by=batch.submitted_by)
        cases = {}
        for row, item in zip(candidates, items, strict=True):
            if item.case is None:
                outcomes[row.line] = RowOutcome.REJECTED
                for key, messages in item.errors.items():
                    for message in messages if isinstance(messages, list) else [messages]:
                        row.errors.append((FIELD_COLUMNS.get(key, ""), str(message)))
            else:
                outcomes[row.line] = RowOutcome.ACCEPTED
                cases[row.line] = item.case
        insert_rows(BankCase, BANK_CASE_COLUMNS, [_bank_case(bank, batch, cases[row.line], row.clean, bool(row.flags))
                                                  for row in candidates if row.line in cases])
        insert_rows(BatchRow, BATCH_ROW_COLUMNS, [(
            batch.pk, row.line, row.clean.get("reference", "")[:60], outcomes[row.line],
            [{"column": col, "message": str(msg)} for col, msg in row.errors], [str(f) for f in row.flags],
            row.values, getattr(cases.get(row.line), "pk", None)) for row in chunk])
    for row in candidates:
        if row.line in cases:
            seen[row.clean["reference"]] = row.line
    for row in chunk:
        outcome = outcomes[row.line]
        counts["accepted" if outcome == RowOutcome.ACCEPTED else "rejected" if outcome == RowOutcome.REJECTED
               else "duplicates"] += 1
        if outcome == RowOutcome.ACCEPTED and row.flags:
            counts["flagged"] += 1
    return counts


def _read_source(batch: Batch) -> list[tuple[int, dict]]:
    with batch.source.open("rb") as handle:
        data = handle.read()
    if batch.source.name.endswith(".json"):
        return R.read_json_rows(json.loads(data.decode()))
    return R.read_file(data)


def process_batch(batch: Batch, job=None) -> Batch:
    """Check every row and register the good ones, REGISTER_CHUNK rows per transaction, reporting
    progress as it goes. A row with an error saves nothing of itself; a reference the bank already
    submitted, or one repeated in the file, creates nothing and is reported as a duplicate."""
    # A rerun of the job (its worker died: core.jobs) finds the batch running and resumes it.
    resuming = job is not None and job.attempt > 1
    claimable = [BatchStatus.QUEUED, BatchStatus.RUNNING] if resuming else [BatchStatus.QUEUED]
    if Batch.objects.filter(pk=batch.pk, status__in=claimable).update(status=BatchStatus.RUNNING) != 1:
        return batch
    batch.refresh_from_db()
    try:
        rows = _read_source(batch)
        bank = batch.bank
        today, cap, prefix = timezone.localdate(), bank.effective_rate_cap, bank.organisation.area_id
        desk = Desk.objects.select_related("window__centre", "team").filter(area_id=prefix[:6]).first()
        batch.total = len(rows)
        batch.save(update_fields=["total"])
        seen: dict[str, int] = {}
        if resuming:
            rows = _resume(batch, rows, seen)
        if job is not None:
            job.progress(batch.done, batch.total)
        for start in range(0, len(rows), REGISTER_CHUNK):
            chunk = [R.check_row(line, values, today=today, rate_cap=cap, area_prefix=prefix)
                     for line, values in rows[start:start + REGISTER_CHUNK]]
            try:
                counts = _register_chunk(batch, bank, desk, chunk, seen)
            except IntegrityError:
                # Another batch of this bank registered one of these references meanwhile: the chunk
                # rolled back whole (numbers too); checked again, those rows are now duplicates.
                chunk = [R.check_row(line, values, today=today, rate_cap=cap, area_prefix=prefix)
                         for line, values in rows[start:start + REGISTER_CHUNK]]
                counts = _register_chunk(batch, bank, desk, chunk, seen)
            batch.done += len(chunk)
            for name, n in counts.items():
                setattr(batch, name, getattr(batch, name) + n)
            batch.save(update_fields=["done", "accepted", "rejected", "duplicates", "flagged"])
            if job is not None:
                job.progress(batch.done, batch.total)
    except InputError as error:
        _fail(batch, error.detail)
        return batch
    except Exception as error:
        _fail(batch, str(error)[:2000] or type(error).__name__)
        raise
    batch.status, batch.finished_at = BatchStatus.DONE, timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    audit.record(batch.submitted_by, "finance.batch_processed", batch, area_code=batch.bank.organisation.area_id,
                 total=batch.total, accepted=batch.accepted, rejected=batch.rejected, duplicates=batch.duplicates)
    return batch


def _resume(batch: Batch, rows: list, seen: dict) -> list:
    """What an interrupted run left: every chunk committed its cases and BatchRows together, so the rows
    with a BatchRow are done (their counts are taken from them, their references into `seen`) and only
    the others are checked and registered now: no row becomes a case twice."""
    recorded = list(BatchRow.objects.filter(batch=batch).values_list("line", "reference", "outcome", "flags"))
    done = {line for line, *_rest in recorded}
    batch.done, batch.accepted, batch.rejected, batch.duplicates, batch.flagged = len(done), 0, 0, 0, 0
    for line, reference, outcome, flags in recorded:
        if outcome == RowOutcome.ACCEPTED:
            batch.accepted += 1
            batch.flagged += bool(flags)
            seen[reference] = line
        elif outcome == RowOutcome.REJECTED:
            batch.rejected += 1
        else:
            batch.duplicates += 1
    batch.save(update_fields=["done", "accepted", "rejected", "duplicates", "flagged"])
    return [(line, values) for line, values in rows if line not in done]


def _fail(batch: Batch, message: str) -> None:
    batch.status, batch.error, batch.finished_at = BatchStatus.FAILED, message, timezone.now()
    batch.save(update_fields=["status", "error", "finished_at"])


# The flow after intake, one module per step (re-exported: callers import from yiwang.finance.actions).
from yiwang.finance.actions.allocation import (  # noqa: E402, F401
    check_may_route,
    do_notify_borrowers,
    do_start_allocation,
    get_desk,
    get_desk_mediators,
    get_loads,
    get_untold_borrowers,
    get_waiting_cases,
    process_allocation,
    render_borrower_sms,
)
from yiwang.finance.actions.litigation import (  # noqa: E402, F401
    build_filing_package,
    can_upload_court_numbers,
    do_refer_to_court,
    do_start_filing_package,
    do_upload_court_numbers,
    get_litigation_cases,
    render_complaint,
    render_evidence_list,
)
from yiwang.finance.actions.payment_file import (  # noqa: E402, F401
    PAYMENT_HEADERS,
    can_upload_payments,
    do_upload_payments,
)
from yiwang.finance.actions.repayment import (  # noqa: E402, F401
    do_answer_as_borrower,
    do_record_payment,
    do_set_plan,
    get_overdue_instalments,
    make_instalments,
)
from yiwang.finance.actions.statistics import get_bank_statistics, get_follow_ups_due  # noqa: E402, F401
