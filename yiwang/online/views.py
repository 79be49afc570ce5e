"""The citizen side's pages: the centre's 解纷码 (QR code, poster, filing page), the party's private page,
and the public verification page. Thin views over actions.py and signing.py."""

import base64
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.areas.models import Centre
from yiwang.cases.models import Case
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_form, add_refusal_to_messages
from yiwang.documents import render_pdf
from yiwang.online import actions
from yiwang.online.forms import (
    ERROR_FIELDS,
    CodeForm,
    OnlineFilingForm,
    VerifyForm,
    get_centre_services,
    get_filing_types,
)
from yiwang.online.signing import verify_pdf

PARTY_SESSION_KEY = "online_parties"  # access pk → token hash, for the parties proven in this session
FILED_SESSION_KEY = "online_filed"


def _centre(code: str) -> Centre:
    return get_object_or_404(Centre, code=code.upper(), active=True)


def _filing_url(request, centre: Centre) -> str:
    return request.build_absolute_uri(reverse("online:file", args=[centre.code]))


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _attempt(request, action, *args, success: str = "", **kwargs) -> bool:
    """Take `action` for a button without a form: a refusal is said at the top of the next page, and so
    is `success` when it went through. Returns whether it did."""
    try:
        action(*args, **kwargs)
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
        return False
    if success:
        messages.success(request, success)
    return True


def _version(request) -> int | None:
    """The case's version the page was read at (a hidden field); None when the form sent none."""
    version = request.POST.get("version", "")
    return int(version) if version.isdigit() else None


def _pdf_response(pdf: bytes, filename: str):
    """A PDF shown in the browser (not sniffed into anything else)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------------------------------------ 解纷码


def _qr(request, centre: Centre):
    import segno

    return segno.make(_filing_url(request, centre), error="m")


def centres(request):
    """Every active centre's 解纷码: the filing page, the QR code and the poster to print."""
    rows = Centre.objects.filter(active=True).order_by("area_id", "code")
    return render(request, "online/centres.html", {"centres": rows})


def qr_png(request, code: str):
    buffer = BytesIO()
    _qr(request, _centre(code)).save(buffer, kind="png", scale=10, border=4)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


def qr_svg(request, code: str):
    buffer = BytesIO()
    _qr(request, _centre(code)).save(buffer, kind="svg", scale=10, border=4, xmldecl=True)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def poster(request, code: str):
    """An A4 poster to print and put up at the centre and in villages: in Chinese whoever prints it, like
    the case documents (it speaks to the citizens who pass by, not to the staff member's language)."""
    from yiwang.online.documents import DOCUMENT_LANGUAGE

    centre = _centre(code)
    buffer = BytesIO()
    _qr(request, centre).save(buffer, kind="png", scale=12, border=2)
    with translation.override(DOCUMENT_LANGUAGE):
        pdf = render_pdf("online/poster.html", {
            "centre": centre, "qr": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
            "url": _filing_url(request, centre),
        })
    return _pdf_response(pdf, f"jiefenma-{centre.code}.pdf")


def _party_errors_to_form(form) -> None:
    """Every error in one round: what the registration action would say of the parties (an ID card's
    check character, a mobile number's format), put on their fields beside the form's own errors."""
    from yiwang.cases.actions import check_parties

    raw = form.data
    applicant = {"kind": "person", **{k: raw.get(f"applicant_{k}", "") for k in ("name", "id_number", "phone",
                                                                                 "address")}}
    respondent = {"kind": raw.get("respondent_kind", "person"), **{
        k: raw.get(f"respondent_{k}", "") for k in ("name", "phone", "id_number", "credit_code", "address")}}
    _parties, errors = check_parties([applicant], [respondent])
    for key, found in errors.items():
        field = ERROR_FIELDS.get(key)
        if field and field not in form.errors:
            for message in found if isinstance(found, list) else [found]:
                form.add_error(field, str(message))


@never_cache
def file_online(request, code: str):
    """The phone-first filing page the centre's QR code opens: no account needed."""
    centre = _centre(code)
    form = OnlineFilingForm(request.POST or None, centre=centre)
    type_query = request.GET.get("q", "").strip()[:20]
    no_match = False
    if request.method != "POST" and type_query:  # the search without script: the list narrowed to the words
        found = list(get_filing_types(type_query))
        no_match = not found
        if found:
            form.fields["dispute_type"].queryset = get_filing_types(type_query)
            form.initial["dispute_type"] = found[0].pk
    if request.method == "POST" and not form.is_valid():
        _party_errors_to_form(form)
    if request.method == "POST" and form.is_valid():
        try:
            case, token = actions.do_file_online(
                centre=centre, base_url=_base_url(request), **form.registration_kwargs()
            )
        except ActionRefused as error:
            add_refusal_to_form(form, error, fields=ERROR_FIELDS)
        else:
            request.session[FILED_SESSION_KEY] = {
                "number": case.number, "url": actions.get_access_url(token, _base_url(request)),
                "centre": centre.code,
            }
            return redirect("online:filed", code=centre.code)
    return render(request, "online/file.html", {"centre": centre, "form": form, "type_query": type_query, "no_match": no_match,
                                                "services": get_centre_services(centre)})


@never_cache
def filed(request, code: str):
    centre = _centre(code)
    filing = request.session.get(FILED_SESSION_KEY)
    if not filing or filing.get("centre") != centre.code:
        return redirect("online:file", code=centre.code)
    return render(request, "online/filed.html", {"centre": centre, "filing": filing})


# ------------------------------------------------------------------------------------------ party's page


def _is_proven(request, access) -> bool:
    return request.session.get(PARTY_SESSION_KEY, {}).get(str(access.pk)) == access.token_hash


@never_cache
def party(request, token: str):
    """A party's private page. Until the code sent to their mobile is entered it shows nothing personal,
    not even the case number, whoever holds the link."""
    access = actions.get_access(token)
    if access is None:
        raise Http404
    if not _is_proven(request, access):
        return _prove(request, access)
    progress = actions.get_party_progress(access)
    signed = actions.get_signed_agreement(access.party.case)
    return render(request, "online/party.html", {
        "access": access, "progress": progress, "token": token, "signed": signed,
        "signatures": signed.signatures.all() if signed else [],
        "must_sign": signed is not None and access.party_id in actions.get_pending_parties(signed),
        "may_answer": access.party.role == "respondent" and not access.consent
        and access.party.case.status in actions.ANSWERABLE_STATUSES,
        "room_messages": actions.get_room_messages(access.party.case, party=access.party),
        "may_rate": access.rated_at is None and access.party.case.status in actions.RATABLE_STATUSES,
        "evidence": access.party.case.evidence.all(),
        "sessions": actions.get_upcoming_sessions(access.party.case),
    })


def _prove(request, access):
    form = CodeForm(request.POST if request.POST.get("step") == "verify" else None)
    if request.method == "POST" and request.POST.get("step") == "send":
        _attempt(request, actions.do_request_access_code, access,
                 success=_("A code was sent to the mobile number on the case."))
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_verify_access(access, code=form.cleaned_data["code"])
        except actions.CodeRefused as exc:
            form.add_error("code", exc.messages[0])
        else:
            request.session.cycle_key()  # a new session id once proven: a planted cookie gains nothing
            proven = request.session.get(PARTY_SESSION_KEY, {})
            proven[str(access.pk)] = access.token_hash
            request.session[PARTY_SESSION_KEY] = proven
            return redirect(request.path)
    return render(request, "online/party_prove.html", {"form": form}, status=200)


@login_required
@require_POST
def invite(request, pk: int, party_pk: int):
    """Staff send a party (usually the respondent) their private link by SMS."""
    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk)
    target = get_object_or_404(case.parties, pk=party_pk)
    _attempt(request, actions.do_invite_party, target, by=request.user, base_url=_base_url(request),
             version=_version(request),
             success=_("The link was sent to %(name)s by text message.") % {"name": target.name})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("cases:detail", pk=case.pk)


# ---------------------------------------------------------------------------------------- verification


@never_cache
def verify(request):
    """Anyone may check whether a PDF is an unaltered agreement signed by this centre."""
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    result = None
    if request.method == "POST" and form.is_valid():
        result = verify_pdf(form.cleaned_data["file"].read())
    return render(request, "online/verify.html", {"form": form, "result": result})


def _proven_access(request, token: str):
    """The access for the token, only when this session has proven it; 404 otherwise (like missing)."""
    access = actions.get_access(token)
    if access is None or not _is_proven(request, access):
        raise Http404
    return access


@never_cache
def party_agreement_pdf(request, token: str):
    access = _proven_access(request, token)
    signed = actions.get_signed_agreement(access.party.case)
    if signed is None:
        raise Http404
    return _pdf_response(actions.get_signed_pdf(signed), f"{access.party.case.number}.pdf")


@require_POST
def party_sign(request, token: str):
    """Step 1 sends the signing code; step 2 takes the drawn signature and the code."""
    access = _proven_access(request, token)
    if request.POST.get("step") == "send":
        _attempt(request, actions.do_request_signing_code, access,
                 success=_("A code to confirm your signature was sent to your mobile."))
    else:
        _attempt(request, actions.do_sign_as_party, access, code=request.POST.get("code", ""),
                 drawing=request.POST.get("drawing", ""), success=_("You have signed the agreement."))
    return redirect("online:party", token=token)


@require_POST
def party_answer(request, token: str):
    """The respondent accepts or refuses mediation."""
    access = _proven_access(request, token)
    _attempt(request, actions.do_answer_invitation, access, accept=request.POST.get("answer") == "accept")
    return redirect("online:party", token=token)


# ------------------------------------------------------------------------------------- staff: signing


@login_required
def signing(request, pk: int):
    """The mediator's page for remote signing: put the agreement up, invite, sign and seal."""
    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "prepare":
                actions.do_prepare_signing(case, by=request.user, base_url=_base_url(request),
                                           version=_version(request))
                messages.success(request, _("The agreement is up for signing; the parties were sent their links."))
            elif request.POST.get("do") == "sign":
                actions.do_sign_as_mediator(case, by=request.user, drawing=request.POST.get("drawing", ""),
                                            version=_version(request))
                messages.success(request, _("You signed, and the centre's seal was applied."))
        except ActionRefused as error:
            add_refusal_to_messages(request, error)
        return redirect("online:signing", pk=case.pk)
    signed = actions.get_signed_agreement(case)
    try:
        actions.check_confirmation(case, by=request.user)
        can_apply_confirmation = True
    except actions.SigningRefused:
        can_apply_confirmation = False
    return render(request, "online/signing.html", {
        "case": case, "signed": signed, "can_apply_confirmation": can_apply_confirmation,
        "signatures": signed.signatures.all() if signed else [],
        "pending": set(actions.get_pending_parties(signed)) if signed else set(),
        "parties": case.parties.all(),
    })


@login_required
def signed_pdf(request, pk: int):
    """The agreement signed remotely, as get_agreement_download gives it to this reader."""
    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk)
    pdf, filename = get_agreement_download(case, request.user)
    return _pdf_response(pdf, filename)


def get_agreement_download(case, user) -> tuple[bytes, str]:
    """The agreement signed remotely (Http404 before there is one). The sealed file prints every party's
    ID number and phone and the facts: it goes only to a reader with pii.view who works the case, and
    that download is recorded as a full read of personal information. Anyone else who may read the case
    (a bank, a court liaison, a leader) gets the agreement rendered as the case page's PDF does, masked
    (masking the sealed file itself would break its seals). The page and the API (`agreement_pdf`) both
    serve it from here."""
    from yiwang.audit.actions import record
    from yiwang.cases import documents as case_documents
    from yiwang.cases.actions import can_read_case_facts
    from yiwang.core.scope import user_can

    signed = actions.get_signed_agreement(case)
    if signed is None:
        raise Http404
    facts = can_read_case_facts(case, user)
    full_pii = facts and user_can(user, "pii.view", case.area_id)
    record(user, "online.agreement_downloaded", signed, area_code=case.area_id, sha256=signed.sha256,
           full_pii=full_pii)
    if not full_pii:
        return case_documents.render_agreement(case, full_pii=False, facts=facts), f"{case.number}-masked.pdf"
    record(user, "cases.pii_viewed", case, document="signed_agreement")  # as the case page's full view
    return actions.get_signed_pdf(signed), f"{case.number}.pdf"


# ------------------------------------------------------------------------------------ mediation room


def _evidence_response(evidence):
    from yiwang.core.uploads import stored_file_response

    return stored_file_response(evidence.file, evidence.content_type, as_attachment=True, filename=evidence.name)


@require_POST
def party_message(request, token: str):
    access = _proven_access(request, token)
    _attempt(request, actions.do_post_message, access.party.case, party=access.party,
             text=request.POST.get("text", ""), private=request.POST.get("private") == "1")
    return redirect(reverse("online:party", args=[token]) + "#room")


@require_POST
def party_evidence_upload(request, token: str):
    access = _proven_access(request, token)
    _attempt(request, actions.do_upload_evidence, access.party.case, party=access.party,
             upload=request.FILES.get("file"), note=request.POST.get("note", ""),
             success=_("The file was added to the case."))
    return redirect(reverse("online:party", args=[token]) + "#room")


def party_evidence(request, token: str, evidence_pk: int):
    access = _proven_access(request, token)
    evidence = get_object_or_404(access.party.case.evidence, pk=evidence_pk)
    return _evidence_response(evidence)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _room_case_or_404(request, pk: int) -> Case:
    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk)
    if not actions.can_enter_room(case, request.user):
        raise Http404
    return case


@login_required
def room(request, pk: int):
    """The mediator's side of the mediation room: every message (private ones too) and every file. Only
    for the case's mediators and supervising centre staff: anyone else gets a 404, as for a missing case."""
    case = _room_case_or_404(request, pk)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "schedule":
                starts_at = parse_datetime(request.POST.get("starts_at", "") or "")
                if starts_at is not None and timezone.is_naive(starts_at):
                    starts_at = timezone.make_aware(starts_at)
                actions.do_schedule_session(case, by=request.user, starts_at=starts_at,
                                            place=request.POST.get("place", ""),
                                            online=request.POST.get("online") == "1", note=request.POST.get("note", ""),
                                            version=_version(request))
            elif request.POST.get("do") == "cancel_session":
                session = get_object_or_404(case.scheduled_sessions, pk=_int_or_none(request.POST.get("session")))
                actions.do_cancel_session(session, by=request.user, reason=request.POST.get("reason", ""),
                                          version=_version(request))
            elif "file" in request.FILES or request.POST.get("do") == "upload":
                actions.do_upload_evidence(case, by=request.user, upload=request.FILES.get("file"),
                                           note=request.POST.get("note", ""))
            else:
                actions.do_post_message(case, by=request.user, text=request.POST.get("text", ""))
        except ActionRefused as error:
            add_refusal_to_messages(request, error)
        return redirect("online:room", pk=case.pk)
    return render(request, "online/room.html", {
        "case": case, "room_messages": actions.get_room_messages(case), "evidence": case.evidence.all(),
        "sessions": actions.get_upcoming_sessions(case),
    })


@login_required
def evidence_file(request, pk: int, evidence_pk: int):
    case = _room_case_or_404(request, pk)
    evidence = get_object_or_404(case.evidence, pk=evidence_pk)
    from yiwang.audit.actions import record

    record(request.user, "online.evidence_read", evidence, area_code=case.area_id)  # as case attachments are
    return _evidence_response(evidence)


@require_POST
def party_rate(request, token: str):
    access = _proven_access(request, token)
    _attempt(request, actions.do_rate_service, access, satisfaction=request.POST.get("satisfaction"),
             note=request.POST.get("note", ""), success=_("Thank you for your rating."))
    return redirect("online:party", token=token)


@login_required
@require_POST
def confirmation(request, pk: int):
    """Assemble the court application for judicial confirmation and download it."""
    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk)
    try:
        data, name = actions.do_assemble_confirmation(case, by=request.user, version=_version(request))
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
        return redirect("online:signing", pk=case.pk)
    from urllib.parse import quote

    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
