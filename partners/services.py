"""Every write to partners, agreements, contributions and guarantees: validated, atomic,
audited. Status changes of an agreement happen only here."""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from rutan.accounts.models import User
from rutan.core.models import AuditAction
from rutan.core.roles import Perm, Role
from rutan.core.scoping import require
from rutan.core.services import audit_record
from rutan.core.services import model_snapshot as core_snapshot
from rutan.facilities.models import Facility
from rutan.facilities.selectors import on_local_today

from .models import (
    Agreement,
    AgreementAlert,
    AgreementStatus,
    Contribution,
    Guarantee,
    GuaranteeStatus,
    GuarantorKind,
    Partner,
    PartnerContact,
    ScopeItem,
    Signatory,
    expiring_q,
)
from .validators import normalise_nik, validate_pdf

logger = logging.getLogger(__name__)

PARTNER_FIELDS = [
    "name",
    "partner_type",
    "address",
    "city",
    "phone",
    "email",
    "website",
    "notes",
    "is_active",
]
AGREEMENT_FIELDS = [
    "kind",
    "number",
    "partner_number",
    "title",
    "purpose",
    "signed_on",
    "signed_at_place",
    "valid_from",
    "valid_to",
]
# Expiry alerts go out at these many days before the last valid day, largest first.
ALERT_THRESHOLDS = (60, 30)


def model_snapshot(instance: models.Model) -> dict:
    """The core snapshot, with stored files as their (private) names."""
    return {
        key: value.name if isinstance(value, FieldFile) else value
        for key, value in core_snapshot(instance).items()
    }


def _save(instance: models.Model, unique_field: str, unique_message: str) -> None:
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError({unique_field: unique_message}) from exc


def _locked(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update()
        .select_related("facility", "partner")
        .get(pk=agreement.pk)
    )


# Partners


@transaction.atomic
def partner_create(*, facility: Facility, by, **data) -> Partner:
    """Register a partner of `facility` (name unique within the facility)."""
    require(by, Perm.PARTNER_MANAGE, facility)
    partner = Partner(facility=facility, created_by=by, updated_by=by)
    for field in PARTNER_FIELDS:
        if field in data:
            setattr(partner, field, data[field])
    _save(partner, "name", _("Mitra dengan nama ini sudah terdaftar di UPT ini."))
    audit_record(
        actor=by, action=AuditAction.CREATE, instance=partner, after=model_snapshot(partner)
    )
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, by, **data) -> Partner:
    """Change a partner's data; its facility never changes."""
    require(by, Perm.PARTNER_MANAGE, partner.facility)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = model_snapshot(partner)
    for field in PARTNER_FIELDS:
        if field in data:
            setattr(partner, field, data[field])
    partner.updated_by = by
    _save(partner, "name", _("Mitra dengan nama ini sudah terdaftar di UPT ini."))
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=partner,
        before=before,
        after=model_snapshot(partner),
    )
    return partner


def _owner_facility(instance) -> Facility:
    if isinstance(instance, PartnerContact):
        return instance.partner.facility
    return instance.agreement.facility


@transaction.atomic
def part_save(*, instance: PartnerContact | ScopeItem | Signatory | Contribution, by):
    """Create or change a contact, scope item, signatory or contribution.

    The parts of an agreement that has ended (expired or terminated) stay as they were,
    except contributions, which may still be recorded late.
    """
    facility = _owner_facility(instance)
    require(by, Perm.PARTNER_MANAGE, facility)
    if (
        isinstance(instance, ScopeItem | Signatory)
        and Agreement.objects.filter(
            pk=instance.agreement_id,
            status__in=[AgreementStatus.EXPIRED, AgreementStatus.TERMINATED],
        ).exists()
    ):
        raise ValidationError(_("Perjanjian yang sudah berakhir atau diputus tidak dapat diubah."))
    creating = instance.pk is None
    before = None if creating else model_snapshot(type(instance).objects.get(pk=instance.pk))
    if creating:
        instance.created_by = by
    instance.updated_by = by
    instance.full_clean()
    instance.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        instance=instance,
        before=before,
        after=model_snapshot(instance),
        facility_id=facility.pk,
    )
    return instance


@transaction.atomic
def part_delete(*, instance: PartnerContact | ScopeItem | Signatory | Contribution, by) -> None:
    """Remove a contact, scope item, signatory or contribution entered by mistake."""
    facility = _owner_facility(instance)
    require(by, Perm.PARTNER_MANAGE, facility)
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        instance=instance,
        before=model_snapshot(instance),
        facility_id=facility.pk,
    )
    instance.delete()


# Agreements


def _check_partner(facility: Facility, partner: Partner) -> None:
    if partner.facility_id != facility.pk:
        raise ValidationError({"partner": _("Mitra ini tidak terdaftar di UPT tersebut.")})
    if not partner.is_active:
        raise ValidationError({"partner": _("Mitra ini tidak aktif.")})


@transaction.atomic
def agreement_create(*, facility: Facility, partner: Partner, by, **data) -> Agreement:
    """Record a new agreement as a draft; it becomes binding with `agreement_activate`."""
    require(by, Perm.PARTNER_MANAGE, facility)
    _check_partner(facility, partner)
    agreement = Agreement(facility=facility, partner=partner, created_by=by, updated_by=by)
    for field in AGREEMENT_FIELDS:
        if field in data:
            setattr(agreement, field, data[field])
    _save(agreement, "number", _("Nomor perjanjian ini sudah dipakai di UPT ini."))
    audit_record(
        actor=by, action=AuditAction.CREATE, instance=agreement, after=model_snapshot(agreement)
    )
    if data.get("document"):
        agreement = agreement_attach_document(agreement=agreement, document=data["document"], by=by)
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, by, **data) -> Agreement:
    """Change an agreement's data. Ended agreements are kept as they were; the partner
    can change only while the agreement is a draft."""
    require(by, Perm.PARTNER_MANAGE, agreement.facility)
    agreement = _locked(agreement)
    if agreement.status in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
        raise ValidationError(_("Perjanjian yang sudah berakhir atau diputus tidak dapat diubah."))
    before = model_snapshot(agreement)
    partner = data.get("partner")
    if partner is not None and partner.pk != agreement.partner_id:
        if agreement.status != AgreementStatus.DRAFT:
            raise ValidationError({"partner": _("Mitra hanya dapat diganti selama masih draf.")})
        _check_partner(agreement.facility, partner)
        agreement.partner = partner
    for field in AGREEMENT_FIELDS:
        if field in data:
            setattr(agreement, field, data[field])
    if (
        agreement.status == AgreementStatus.ACTIVE
        and agreement.valid_to < agreement.facility.today()
    ):
        raise ValidationError(
            {"valid_to": _("Perjanjian yang berlaku tidak boleh berakhir sebelum hari ini.")}
        )
    agreement.updated_by = by
    _save(agreement, "number", _("Nomor perjanjian ini sudah dipakai di UPT ini."))
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=agreement,
        before=before,
        after=model_snapshot(agreement),
    )
    if data.get("document"):
        agreement = agreement_attach_document(agreement=agreement, document=data["document"], by=by)
    return agreement


@transaction.atomic
def agreement_attach_document(*, agreement: Agreement, document, by) -> Agreement:
    """Store the signed agreement (a real PDF within the size limit) privately."""
    require(by, Perm.PARTNER_MANAGE, agreement.facility)
    try:
        validate_pdf(document)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from exc
    agreement = _locked(agreement)
    if agreement.status == AgreementStatus.TERMINATED:
        raise ValidationError(
            {"document": _("Dokumen perjanjian yang sudah diputus tidak dapat diganti.")}
        )
    before = model_snapshot(agreement)
    old = agreement.document.name if agreement.document else ""
    agreement.document.save("dokumen.pdf", document, save=False)
    agreement.updated_by = by
    agreement.save(update_fields=["document", "updated_by", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=agreement,
        before=before,
        after=model_snapshot(agreement),
    )
    if old:
        # The replaced file is removed only once the new one is safely recorded.
        storage = agreement.document.storage
        transaction.on_commit(lambda: storage.delete(old))
    return agreement


def _transition(agreement: Agreement, by, *, to: str, **changes) -> Agreement:
    before = model_snapshot(agreement)
    agreement.status = to
    for field, value in changes.items():
        setattr(agreement, field, value)
    agreement.updated_by = by if getattr(by, "is_authenticated", False) else None
    agreement.full_clean()
    agreement.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=agreement,
        before=before,
        after=model_snapshot(agreement),
        via="" if by is not None else "task",
    )
    return agreement


@transaction.atomic
def agreement_activate(*, agreement: Agreement, by) -> Agreement:
    """Put a signed draft into force. It needs a signing date, at least one signatory for
    each side, and a validity that has not already ended."""
    require(by, Perm.PARTNER_MANAGE, agreement.facility)
    agreement = _locked(agreement)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(
            _("Hanya perjanjian berstatus draf yang dapat diberlakukan (status sekarang: %(s)s).")
            % {"s": agreement.get_status_display()}
        )
    today = agreement.facility.today()
    errors = {}
    if agreement.signed_on is None:
        errors["signed_on"] = _("Isi tanggal penandatanganan sebelum memberlakukan perjanjian.")
    if agreement.valid_to < today:
        errors["valid_to"] = _("Masa berlaku perjanjian ini sudah lewat; perbarui tanggalnya.")
    sides = set(
        agreement.signatories.filter(role="signatory").values_list("side", flat=True).distinct()
    )
    if not {"facility", "partner"} <= sides:
        errors["__all__"] = _("Tambahkan penandatangan dari pihak UPT dan pihak mitra.")
    if errors:
        raise ValidationError(errors)
    return _transition(agreement, by, to=AgreementStatus.ACTIVE, activated_on=today)


@transaction.atomic
def agreement_terminate(
    *, agreement: Agreement, reason: str, by, on: datetime.date | None = None
) -> Agreement:
    """End an active agreement before its time; the reason is required and kept."""
    require(by, Perm.PARTNER_MANAGE, agreement.facility)
    agreement = _locked(agreement)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(
            _("Hanya perjanjian yang sedang berlaku yang dapat diputus (status sekarang: %(s)s).")
            % {"s": agreement.get_status_display()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"termination_reason": _("Tuliskan alasan pemutusan.")})
    on = on or agreement.facility.today()
    return _transition(
        agreement, by, to=AgreementStatus.TERMINATED, termination_reason=reason, ended_on=on
    )


@transaction.atomic
def agreement_expire(*, agreement: Agreement, by=None) -> Agreement:
    """Mark an active agreement whose last valid day has passed as expired."""
    agreement = _locked(agreement)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(_("Hanya perjanjian yang sedang berlaku yang dapat berakhir."))
    if agreement.valid_to >= agreement.facility.today():
        raise ValidationError(_("Perjanjian ini masih dalam masa berlaku."))
    return _transition(
        agreement,
        by,
        to=AgreementStatus.EXPIRED,
        ended_on=agreement.valid_to + datetime.timedelta(days=1),
    )


def agreements_expire_due() -> int:
    """Expire every active agreement past its end date (in its facility's timezone).
    Safe to run any number of times: an expired agreement is no longer picked."""
    count = 0
    past_end = on_local_today("facility", lambda today: Q(valid_to__lt=today))
    candidates = Agreement.objects.filter(past_end, status=AgreementStatus.ACTIVE)
    for agreement in candidates.select_related("facility"):
        try:
            agreement_expire(agreement=agreement)
        except ValidationError:
            continue  # changed meanwhile (renewed, terminated or extended)
        count += 1
    return count


@transaction.atomic
def agreement_renew(
    *,
    agreement: Agreement,
    by,
    number: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    signed_on: datetime.date | None = None,
) -> Agreement:
    """Start the renewal of an active or expired agreement: a new draft that copies the
    title, scope and signatories, is linked to the old one (`renewed_from`) and by default
    runs one year from the day after the old one ends. An agreement is renewed only once."""
    require(by, Perm.PARTNER_MANAGE, agreement.facility)
    old = _locked(agreement)
    if old.status not in (AgreementStatus.ACTIVE, AgreementStatus.EXPIRED):
        raise ValidationError(
            _("Hanya perjanjian yang berlaku atau sudah berakhir yang dapat diperpanjang.")
        )
    if Agreement.objects.filter(renewed_from=old).exists():
        raise ValidationError(_("Perjanjian ini sudah diperpanjang."))
    valid_from = valid_from or old.valid_to + datetime.timedelta(days=1)
    valid_to = valid_to or valid_from + relativedelta(years=1) - datetime.timedelta(days=1)
    if not number:
        generation = 2
        while Agreement.objects.filter(
            facility=old.facility, number=f"{old.number}/P{generation}"
        ).exists():
            generation += 1
        number = f"{old.number}/P{generation}"
    new = Agreement(
        facility=old.facility,
        partner=old.partner,
        kind=old.kind,
        number=number,
        title=old.title,
        purpose=old.purpose,
        signed_on=signed_on,
        signed_at_place=old.signed_at_place,
        valid_from=valid_from,
        valid_to=valid_to,
        renewed_from=old,
        created_by=by,
        updated_by=by,
    )
    _save(new, "number", _("Nomor perjanjian ini sudah dipakai di UPT ini."))
    ScopeItem.objects.bulk_create(
        ScopeItem(
            agreement=new,
            position=item.position,
            description=item.description,
            owner=item.owner,
            created_by=by,
        )
        for item in old.scope_items.all()
    )
    Signatory.objects.bulk_create(
        Signatory(
            agreement=new,
            side=s.side,
            role=s.role,
            name=s.name,
            title=s.title,
            position=s.position,
            created_by=by,
        )
        for s in old.signatories.all()
    )
    audit_record(actor=by, action=AuditAction.CREATE, instance=new, after=model_snapshot(new))
    return new


# Guarantees

GUARANTEE_FIELDS = [
    "name",
    "relationship",
    "nik",
    "address",
    "phone",
    "letter_number",
    "valid_from",
    "valid_until",
    "agreement",
]
PERSON_TEXT_FIELDS = ["name", "relationship", "address", "phone", "letter_number"]


def guarantee_snapshot(guarantee: Guarantee) -> dict:
    """The audit snapshot of a guarantee, with the NIK masked (personal data)."""
    data = model_snapshot(guarantee)
    data["nik"] = guarantee.nik_masked
    return data


@transaction.atomic
def guarantee_create(
    *, inmate, by, partner: Partner | None = None, guarantor_kind: str = "", letter=None, **data
) -> Guarantee:
    """Record a guarantor (penjamin) of an inmate's asimilasi or integration.

    The guarantor is a family member (`keluarga`: name, relationship and NIK), another person
    (`perorangan`: name and NIK) or a partner organisation of the inmate's facility (`mitra`,
    the default when a partner is given). A NIK has 16 digits; the letter is a PDF."""
    require(by, Perm.PARTNER_MANAGE, inmate.facility)
    kind = guarantor_kind or (GuarantorKind.MITRA if partner is not None else "")
    if kind not in GuarantorKind.values:
        raise ValidationError({"guarantor_kind": _("Pilih jenis penjamin.")})
    if kind == GuarantorKind.MITRA and partner is not None:
        if partner.facility_id != inmate.facility_id:
            raise ValidationError({"partner": _("Penjamin harus mitra UPT tempat WBP ini dibina.")})
        if not partner.is_active:
            raise ValidationError({"partner": _("Mitra ini tidak aktif.")})
        agreement = data.get("agreement")
        if agreement is not None and agreement.partner_id != partner.pk:
            raise ValidationError({"agreement": _("Perjanjian ini bukan milik mitra penjamin.")})
    unknown = set(data) - set(GUARANTEE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Isian tidak dikenal: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    guarantee = Guarantee(
        inmate=inmate, guarantor_kind=kind, partner=partner, created_by=by, updated_by=by
    )
    for field in GUARANTEE_FIELDS:
        if field in data:
            value = data[field]
            if field in PERSON_TEXT_FIELDS:
                value = (value or "").strip()
            elif field == "nik":
                value = normalise_nik(value)
            setattr(guarantee, field, value)
    guarantee.full_clean()
    guarantee.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=guarantee,
        after=guarantee_snapshot(guarantee),
        facility_id=inmate.facility_id,
    )
    if letter:
        guarantee = guarantee_attach_letter(guarantee=guarantee, letter=letter, by=by)
    return guarantee


@transaction.atomic
def guarantee_attach_letter(*, guarantee: Guarantee, letter, by) -> Guarantee:
    """Store the signed guarantee letter (PDF) privately."""
    require(by, Perm.PARTNER_MANAGE, guarantee.inmate.facility)
    try:
        validate_pdf(letter)
    except ValidationError as exc:
        raise ValidationError({"letter": exc.messages}) from exc
    guarantee = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    before = guarantee_snapshot(guarantee)
    old = guarantee.letter.name if guarantee.letter else ""
    guarantee.letter.save("surat.pdf", letter, save=False)
    guarantee.updated_by = by
    guarantee.save(update_fields=["letter", "updated_by", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=guarantee,
        before=before,
        after=guarantee_snapshot(guarantee),
        facility_id=guarantee.inmate.facility_id,
    )
    if old:
        storage = guarantee.letter.storage
        transaction.on_commit(lambda: storage.delete(old))
    return guarantee


@transaction.atomic
def guarantee_revoke(*, guarantee: Guarantee, reason: str, by) -> Guarantee:
    """Withdraw a guarantee (the partner withdrew, or it was recorded in error)."""
    require(by, Perm.PARTNER_MANAGE, guarantee.inmate.facility)
    guarantee = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    if guarantee.status != GuaranteeStatus.ACTIVE:
        raise ValidationError(_("Jaminan ini sudah dicabut."))
    if not (reason or "").strip():
        raise ValidationError({"revoked_reason": _("Tuliskan alasan pencabutan.")})
    before = guarantee_snapshot(guarantee)
    guarantee.status = GuaranteeStatus.REVOKED
    guarantee.revoked_reason = reason.strip()
    guarantee.updated_by = by
    guarantee.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=guarantee,
        before=before,
        after=guarantee_snapshot(guarantee),
        facility_id=guarantee.inmate.facility_id,
    )
    return guarantee


# Expiry alerts


def _facility_head_emails(facility: Facility) -> list[str]:
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__role=Role.FACILITY_HEAD,
                memberships__facility=facility,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _due_threshold(days_left: int) -> int | None:
    """The smallest threshold that `days_left` has reached (30 before 60), if any."""
    reached = [t for t in ALERT_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def agreement_alerts_send() -> int:
    """E-mail the facility head about active agreements ending within 60 and 30 days,
    once per agreement and threshold. The sent record and the e-mail share a transaction,
    so a failed send is retried on the next run and a sent one never repeats."""
    sent = 0
    window = on_local_today("facility", lambda today: expiring_q(today, max(ALERT_THRESHOLDS)))
    candidates = Agreement.objects.filter(window).select_related("facility", "partner")
    for agreement in candidates:
        days_left = agreement.days_left(agreement.facility.today())
        threshold = _due_threshold(days_left) if days_left >= 0 else None
        if threshold is None:
            continue
        if AgreementAlert.objects.filter(agreement=agreement, threshold_days=threshold).exists():
            continue
        recipients = _facility_head_emails(agreement.facility)
        if not recipients:
            logger.warning("No facility head e-mail for %s; alert postponed", agreement.facility)
            continue
        try:
            with transaction.atomic():
                AgreementAlert.objects.create(
                    agreement=agreement,
                    threshold_days=threshold,
                    recipients=", ".join(recipients),
                )
                context = {"agreement": agreement, "days_left": days_left, "threshold": threshold}
                send_mail(
                    subject=render_to_string("partners/email/expiry_subject.txt", context).strip(),
                    message=render_to_string("partners/email/expiry_body.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=recipients,
                )
        except IntegrityError:
            continue  # another run recorded it first
        sent += 1
    return sent


def guarantees_anonymise(*, inmate):
    """Receiver's work for `inmate_anonymising`: the inmate's guarantors lose name, NIK,
    address, telephone, letter number and reason of revocation (mark), in the change
    history too, and the letters' files are deleted once the transaction commits."""
    from rutan.inmates.services import Anonymised, redact_text

    guarantees = Guarantee.objects.filter(inmate=inmate)
    history = Guarantee.history.filter(inmate_id=inmate.pk)
    result = Anonymised(keys={"name", "nik", "address", "phone", "letter", "letter_number"})
    for name, nik in guarantees.values_list("name", "nik"):
        result.terms += [name, nik]
    files = {f for f in guarantees.values_list("letter", flat=True) if f}
    files |= {f for f in history.values_list("letter", flat=True) if f}
    fields = ["name", "nik", "address", "phone", "letter_number", "revoked_reason"]
    result.rows["partners.guarantee"] = redact_text(guarantees, *fields)
    guarantees.exclude(letter="").update(letter="")
    result.rows["partners.historicalguarantee"] = redact_text(
        history, *(f for f in fields if f != "nik")
    )
    history.exclude(letter="").update(letter="")
    storage = Guarantee._meta.get_field("letter").storage
    transaction.on_commit(lambda: [storage.delete(f) for f in files])
    return result
