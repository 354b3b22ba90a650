"""Writes to the custody record: warrants, the verdict, the remisi ledger and their
corrections, each recomputing the stored dates; and the daily custody alerts."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import require
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import Facility

from .. import reckoning
from ..choices import (
    TERM_SENTENCES,
    DetentionOrder,
    InmateStatus,
)
from ..models import (
    CustodyAlertDigest,
    DetentionPeriod,
    Inmate,
    RemisiGrant,
    Verdict,
    WarrantLimit,
)
from .derived import DERIVED_FIELDS, _apply_derived, _recompute, verdict_of
from .rulecache import cached


def _audit_created(entry, *, inmate: Inmate, by) -> None:
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=entry,
        after=model_snapshot(entry),
        facility_id=inmate.facility_id,
    )


def _audit_dates(inmate: Inmate, *, before: dict, by) -> None:
    """Audit how a custody write moved the inmate's stored dates and register."""
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=inmate,
        before=before,
        after=model_snapshot(inmate, DERIVED_FIELDS),
    )


def _d(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


def _detention_add(
    inmate: Inmate,
    *,
    by,
    authority: str,
    warrant_number: str,
    start: datetime.date,
    end: datetime.date,
    order: str = DetentionOrder.PENAHANAN,
    kind: str = "rutan",
    warrant_date: datetime.date | None = None,
    note: str = "",
) -> DetentionPeriod:
    period = DetentionPeriod(
        inmate=inmate,
        authority=authority,
        order=order,
        kind=kind,
        warrant_number=(warrant_number or "").strip(),
        warrant_date=warrant_date,
        start=start,
        end=end,
        note=note[:300],
        created_by=by,
        updated_by=by,
    )
    period.full_clean(exclude=["inmate"])
    today = inmate.facility.today()
    errors = {}
    if warrant_date and warrant_date > today:
        errors["warrant_date"] = _("Tanggal surat tidak boleh di masa depan.")
    if start > today:
        errors["start"] = _("Penahanan yang belum dimulai belum dapat dicatat.")
        if order != DetentionOrder.PENAHANAN:
            errors.pop("start")
    limit = cached(
        ("warrant_limit", authority, order),
        lambda: WarrantLimit.objects.filter(authority=authority, order=order).first(),
    )
    if limit is None:
        errors["order"] = _(
            "%(order)s tidak dikenal untuk %(authority)s (lihat KUHAP Pasal 24–29)."
        ) % {
            "order": DetentionOrder(order).label,
            "authority": period.get_authority_display(),
        }
    elif period.days > limit.max_days:
        errors["end"] = _(
            "%(order)s oleh %(authority)s paling lama %(max)s hari (%(basis)s); surat ini "
            "%(days)s hari."
        ) % {
            "order": DetentionOrder(order).label,
            "authority": period.get_authority_display(),
            "max": limit.max_days,
            "basis": limit.legal_basis,
            "days": period.days,
        }
    existing = list(DetentionPeriod.objects.filter(inmate=inmate).order_by("start", "id"))
    clash = next((p for p in existing if p.start <= end and start <= p.end), None)
    if clash is not None:
        errors["start"] = _("Bertumpuk dengan surat %(number)s (%(from)s – %(to)s).") % {
            "number": clash.warrant_number,
            "from": _d(clash.start),
            "to": _d(clash.end),
        }
    if order != DetentionOrder.PENAHANAN and not errors:
        same = [p for p in existing if p.authority == authority and p.end < start]
        if not same:
            errors["order"] = _(
                "Perpanjangan memerlukan penahanan %(authority)s yang diperpanjang."
            ) % {"authority": period.get_authority_display()}
        elif start != same[-1].end + datetime.timedelta(days=1):
            errors["start"] = _(
                "Perpanjangan dimulai sehari setelah surat sebelumnya berakhir (%(date)s)."
            ) % {"date": _d(same[-1].end + datetime.timedelta(days=1))}
        elif limit and sum(1 for p in same if p.order == order) >= limit.max_count:
            errors["order"] = _("%(order)s paling banyak %(n)s kali.") % {
                "order": DetentionOrder(order).label,
                "n": limit.max_count,
            }
    if errors:
        raise ValidationError(errors)
    period.save()
    _audit_created(period, inmate=inmate, by=by)
    return period


@transaction.atomic
def detention_add(*, inmate: Inmate, by, **data) -> DetentionPeriod:
    """Record a warrant (a new detention or an extension) for a detainee.

    Rules: the warrant's length is within KUHAP's limit for that authority and order
    (`WarrantLimit`); warrants never overlap; an extension starts the day after the
    warrant it extends ends, and is used no more often than allowed. A past warrant may
    still be added after the verdict (it then changes the deduction and every date)."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    verdict = verdict_of(inmate)
    if verdict is not None and data.get("start") and data["start"] >= verdict.final_on:
        raise ValidationError(
            {
                "start": _(
                    "Setelah putusan berkekuatan hukum tetap WBP menjalani pidana, bukan penahanan."
                )
            }
        )
    before = model_snapshot(inmate, DERIVED_FIELDS)
    period = _detention_add(inmate, by=by, **data)
    _recompute(inmate)
    _audit_dates(inmate, before=before, by=by)
    return period


@transaction.atomic
def verdict_record(
    *,
    inmate: Inmate,
    by,
    court: str,
    court_name: str,
    number: str,
    decided_on: datetime.date,
    final_on: datetime.date,
    sentence_kind: str,
    years: int = 0,
    months: int = 0,
    days: int = 0,
    fine: int = 0,
    substitute_months: int = 0,
    substitute_days: int = 0,
    fine_paid: bool = False,
) -> Verdict:
    """Record the final verdict: the detainee becomes a sentenced inmate in one event.

    The register type follows from the sentence (`RegisterRule`); time served counts from
    the first day of detention less the deductions (`reckoning`); life and death sentences
    get no fraction dates."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    if verdict_of(inmate) is not None:
        raise ValidationError(_("Putusan WBP ini sudah tercatat."))
    verdict = Verdict(
        inmate=inmate,
        court=court,
        court_name=(court_name or "").strip(),
        number=(number or "").strip(),
        decided_on=decided_on,
        final_on=final_on,
        sentence_kind=sentence_kind,
        years=years or 0,
        months=months or 0,
        days=days or 0,
        fine=fine or 0,
        substitute_months=substitute_months or 0,
        substitute_days=substitute_days or 0,
        fine_paid=bool(fine_paid),
        created_by=by,
        updated_by=by,
    )
    errors = {}
    if final_on and final_on > inmate.facility.today():
        errors["final_on"] = _("Tanggal berkekuatan hukum tetap tidak boleh di masa depan.")
    first = inmate.detention_periods.order_by("start").first()
    if first is None:
        errors["final_on"] = _("Catat dulu surat penahanan: masa pidana dihitung darinya.")
    elif decided_on and decided_on < first.start:
        errors["decided_on"] = _(
            "Tanggal putusan tidak boleh sebelum hari pertama penahanan (%(date)s)."
        ) % {"date": _d(first.start)}
    if (substitute_months or substitute_days) and not fine:
        errors["substitute_months"] = _("Kurungan pengganti hanya ada bila ada denda.")
    if sentence_kind not in TERM_SENTENCES and (substitute_months or substitute_days):
        errors["substitute_months"] = _("Seumur hidup dan pidana mati tanpa kurungan pengganti.")
    if months and months > 11:
        errors["months"] = _("Bulan paling banyak 11; tulis tahunnya.")
    if errors:
        raise ValidationError(errors)
    verdict.full_clean()
    before = model_snapshot(inmate, DERIVED_FIELDS)
    verdict.save()
    inmate.updated_by = by
    _recompute(inmate)
    _audit_created(verdict, inmate=inmate, by=by)
    _audit_dates(inmate, before=before, by=by)
    return verdict


@transaction.atomic
def remisi_grant_create(
    *,
    inmate: Inmate,
    by,
    kind: str,
    decree_number: str,
    decree_date: datetime.date,
    months: int = 0,
    days: int = 0,
    note: str = "",
) -> RemisiGrant:
    """Add a remisi grant to the ledger; the expected release and every date follow.

    Rules: only a sentenced inmate with a term (not life or death) receives remisi; the
    decree is not in the future nor before the verdict; the ledger's total stays shorter
    than the sentence (the expected release stays after the start)."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    verdict = verdict_of(inmate)
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    if verdict is None:
        raise ValidationError(_("Remisi hanya untuk narapidana; catat putusannya dulu."))
    if not verdict.has_term:
        raise ValidationError(_("Pidana seumur hidup dan pidana mati tidak mendapat remisi."))
    grant = RemisiGrant(
        inmate=inmate,
        kind=kind,
        decree_number=(decree_number or "").strip(),
        decree_date=decree_date,
        months=months or 0,
        days=days or 0,
        note=(note or "")[:300],
        created_by=by,
        updated_by=by,
    )
    grant.full_clean()
    if decree_date > inmate.facility.today():
        raise ValidationError({"decree_date": _("Tanggal keputusan tidak boleh di masa depan.")})
    if decree_date < verdict.decided_on:
        raise ValidationError(
            {
                "decree_date": _("Keputusan remisi tidak boleh sebelum tanggal putusan (%(date)s).")
                % {"date": _d(verdict.decided_on)}
            }
        )
    before = model_snapshot(inmate, DERIVED_FIELDS)
    grant.save()
    result = _apply_derived(inmate)
    if result.expected_release is None or result.expected_release <= result.sentence_start:
        raise ValidationError(
            {
                "days": _(
                    "Jumlah remisi (%(total)s) akan mencapai seluruh masa pidana; periksa "
                    "keputusan ini."
                )
                % {"total": reckoning.months_days(result.remisi_months, result.remisi_days)}
            }
        )
    inmate.full_clean()
    inmate.save(update_fields=[*DERIVED_FIELDS, "updated_at"])
    _audit_created(grant, inmate=inmate, by=by)
    _audit_dates(inmate, before=before, by=by)
    return grant


def _custody_entry_remove(entry, *, inmate: Inmate, by, reason: str) -> None:
    """Remove a wrongly entered warrant, remisi grant or verdict: the reason and the whole
    entry are kept in the audit log, and every date is recomputed."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Tulis alasan pembatalan (paling sedikit 5 huruf).")})
    locked = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if locked.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    before = model_snapshot(locked, DERIVED_FIELDS)
    snapshot = model_snapshot(entry)
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        instance=entry,
        # The whole entry, and why it was removed (the log keeps what the table no longer does).
        before={**snapshot, "reason": reason},
        facility_id=locked.facility_id,
    )
    entry.delete()
    _recompute(locked)
    _audit_dates(locked, before=before, by=by)


@transaction.atomic
def detention_remove(*, period: DetentionPeriod, by, reason: str) -> None:
    """Remove a wrongly entered warrant; the first warrant of a detainee stays (it is the
    basis of the detention), and none before a recorded verdict is removed silently."""
    inmate = period.inmate
    if verdict_of(inmate) is None and inmate.detention_periods.count() == 1:
        raise ValidationError(
            _("Surat penahanan satu-satunya tidak dapat dibatalkan; catat surat yang benar dulu.")
        )
    _custody_entry_remove(period, inmate=inmate, by=by, reason=reason)


@transaction.atomic
def remisi_grant_remove(*, grant: RemisiGrant, by, reason: str) -> None:
    """Remove a wrongly entered remisi grant; the expected release moves back."""
    _custody_entry_remove(grant, inmate=grant.inmate, by=by, reason=reason)


@transaction.atomic
def verdict_remove(*, verdict: Verdict, by, reason: str) -> None:
    """Remove a wrongly entered verdict: the inmate is a detainee again (with the remisi
    ledger kept aside in the audit log and removed, since remisi needs a verdict)."""
    inmate = verdict.inmate
    for grant in list(inmate.remisi_grants.all()):
        _custody_entry_remove(grant, inmate=inmate, by=by, reason=reason)
    _custody_entry_remove(verdict, inmate=inmate, by=by, reason=reason)


def latest_remisi(inmate: Inmate) -> RemisiGrant | None:
    """The latest grant (by decree date): what cuti menjelang bebas may last."""
    return inmate.remisi_grants.order_by("-decree_date", "-id").first()


def _custody_recipients(facility: Facility) -> list[str]:
    from rutan.accounts.models import User
    from rutan.core.roles import Role

    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__role__in=[Role.FACILITY_HEAD, Role.REGISTRY_OFFICER],
                memberships__facility=facility,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def custody_alerts_send() -> int:
    """Daily: e-mail each facility's head and registry officers the custody alerts of the
    facility's own today (warrants ending within 10 and 3 days, over-detention), once a day
    per facility. The sent record and the e-mail share a transaction, so a failed send is
    retried by the next run and a sent digest never repeats. Returns the alerts sent."""
    from ..selectors import custody_alerts

    sent = 0
    by_facility: dict[int, list] = {}
    for alert in custody_alerts():
        by_facility.setdefault(alert.inmate.facility_id, []).append(alert)
    for alerts in by_facility.values():
        facility = alerts[0].inmate.facility
        today = facility.today()
        if CustodyAlertDigest.objects.filter(facility=facility, on=today).exists():
            continue
        recipients = _custody_recipients(facility)
        if not recipients:
            continue
        context = {
            "facility": facility,
            "alerts": alerts,
            "today": today,
            "link": settings.SITE_URL.rstrip("/")
            + reverse("inmates:custody_alerts")
            + f"?facility={facility.pk}",
        }
        try:
            with transaction.atomic():
                CustodyAlertDigest.objects.create(
                    facility=facility,
                    on=today,
                    alerts=len(alerts),
                    recipients=", ".join(recipients),
                )
                send_mail(
                    subject=render_to_string("inmates/email/custody_subject.txt", context).strip(),
                    message=render_to_string("inmates/email/custody_body.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=recipients,
                )
        except IntegrityError:
            continue  # another run sent it first
        sent += len(alerts)
    return sent
