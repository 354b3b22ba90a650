"""Anonymisation of released inmates after the retention period (UU 27/2022: personal data
is kept no longer than its purpose needs).

What an anonymised inmate keeps: facility, sex, religion, education, case category,
register type, legal status, custody, sentence and release dates, the stored stage dates,
placements (dates and blocks), enrolments, attendance, assessments' results and counts, so
every figure, report and dashboard still counts them. What they lose: name, registration
number, day and month of birth (the year stays, for age bands), free-text notes, warrant and
verdict numbers, and in other apps (through the `inmate_anonymising` signal) guarantors'
names, NIK, addresses, telephone numbers and letters. The audit entries about them are
redacted the same way, through the one change the audit table's trigger allows.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rutan.core.models import REDACTION_MARK, AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import require
from rutan.core.services import audit_record, audit_redact

from ..choices import InmateStatus
from ..models import DetentionPeriod, DisciplinaryEntry, Inmate, RemisiGrant, Verdict
from ..signals import inmate_anonymising

# Keys of audit snapshots that hold personal values, whichever model wrote them.
PERSONAL_KEYS = frozenset(
    {
        "name",
        "registration_number",
        "birth_date",
        "note",
        "notes",
        "offence",
        "warrant_number",
        "number",
        "reason",
        "end_note",
        "nik",
        "address",
        "phone",
        "letter",
        "letter_number",
        "revoked_reason",
        "guarantor_name",
        "description",
        "findings",
        "recommendation",
    }
)


@dataclass
class Anonymised:
    """What one app anonymised: rows per model, and values (names, numbers) to strip from
    the audit snapshots wherever they appear."""

    rows: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)


def redact_text(queryset, *names: str) -> int:
    """Replace the non-empty values of the text fields `names` by the mark; return the rows
    changed (one UPDATE a field, history tables included when given their queryset)."""
    changed = 0
    for name in names:
        changed += (
            queryset.exclude(**{name: ""})
            .exclude(**{name: REDACTION_MARK})
            .update(**{name: REDACTION_MARK})
        )
    return changed


def _register_rows(inmate: Inmate) -> Anonymised:
    result = Anonymised()
    result.rows["inmates.placement"] = redact_text(inmate.placements.all(), "note")
    result.rows["inmates.disciplinaryentry"] = redact_text(
        DisciplinaryEntry.objects.filter(inmate=inmate), "offence"
    )
    result.rows["inmates.detentionperiod"] = redact_text(
        DetentionPeriod.objects.filter(inmate=inmate), "warrant_number", "note"
    )
    result.rows["inmates.verdict"] = redact_text(Verdict.objects.filter(inmate=inmate), "number")
    result.rows["inmates.remisigrant"] = redact_text(
        RemisiGrant.objects.filter(inmate=inmate), "note"
    )
    return result


@transaction.atomic
def inmate_anonymise(*, inmate: Inmate, by=None) -> Inmate:
    """Anonymise a released inmate now; a second call changes nothing.

    `by` None is the retention job; a user needs `inmate_manage` at the inmate's facility.
    Only a released inmate is anonymised (an active or transferred one is still held).
    The record, its related rows, other apps' rows (signal `inmate_anonymising`) and the
    audit entries about the inmate lose their personal values; one audit entry records
    the anonymisation itself, without them.
    """
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if inmate.anonymised_at is not None:
        return inmate
    if inmate.status != InmateStatus.RELEASED:
        raise ValidationError(_("Hanya WBP yang sudah bebas yang dapat dianonimkan."))
    terms = [inmate.name, inmate.registration_number]
    inmate.name = REDACTION_MARK
    inmate.registration_number = f"ANON-{inmate.pk}"
    inmate.birth_date = datetime.date(inmate.birth_date.year, 1, 1)
    inmate.anonymised_at = timezone.now()
    if by is not None:
        inmate.updated_by = by
    inmate.save(
        update_fields=[
            "name",
            "registration_number",
            "birth_date",
            "anonymised_at",
            "updated_by",
            "updated_at",
        ]
    )
    results = [_register_rows(inmate)]
    for _receiver, response in inmate_anonymising.send(sender=Inmate, inmate=inmate, by=by):
        if isinstance(response, Anonymised):
            results.append(response)
    rows = {k: v for r in results for k, v in r.rows.items()}
    audit_redact(
        inmate_id=inmate.pk,
        keys=PERSONAL_KEYS.union(*(r.keys for r in results)),
        terms=[*terms, *(t for r in results for t in r.terms)],
        object_types=["inmates.inmate"],
    )
    audit_record(
        actor=by,
        action=AuditAction.ANONYMISE,
        instance=inmate,
        after={"anonymised_at": inmate.anonymised_at.isoformat(), "rows": rows},
        via="" if by is not None else "retention",
    )
    return inmate


def inmates_anonymise_due(*, today: datetime.date | None = None) -> int:
    """Anonymise every inmate released more than PERSONAL_DATA_RETENTION_DAYS ago; return
    how many. Each inmate in a transaction of its own, so one failure keeps the others."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    due = Inmate.objects.filter(
        Q(status=InmateStatus.RELEASED),
        released_on__lt=cutoff,
        anonymised_at__isnull=True,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        inmate_anonymise(inmate=Inmate.objects.get(pk=pk))
        count += 1
    return count
