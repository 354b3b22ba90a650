"""What assessments hold about one inmate, for the subject-access export (rutan.core.subject).

Confidential parts (psychometric scores, findings, counselling notes) are included when the
one exporting may read them (the facility head; PSYCH_CONFIDENTIAL_VIEW): the subject has
the right of access to them (UU 27/2022), and the export does not widen who reads them.
Each decrypted record is audited."""

from django.utils.translation import gettext_lazy as _

from rutan.core.models import AuditAction
from rutan.core.services import audit_record
from rutan.core.subject import section

from . import crypto
from .access import can_read_confidential
from .models import (
    BehaviourScore,
    CounsellingSession,
    InterestAssessment,
    LiteracyAssessment,
    PsychologicalAssessment,
    RightProposal,
    RightProposalStep,
)

VIA = "subject_export"


def _audited(by, record):
    audit_record(
        actor=by,
        action=AuditAction.READ,
        instance=record,
        facility_id=record.inmate.facility_id,
        via=VIA,
    )


WITHHELD = _("(rahasia: hanya dapat dibaca psikolog dan Kepala UPT)")


def collect(inmate, by):
    def psych(record):
        if not can_read_confidential(by, record):
            withheld = str(WITHHELD)
            return {"scores": withheld, "findings": withheld, "notes": withheld}
        _audited(by, record)
        return {
            "scores": crypto.decrypt_json(record.scores_encrypted, {}),
            "findings": crypto.decrypt(record.findings_encrypted),
            "notes": crypto.decrypt(record.notes_encrypted),
        }

    def counselling(record):
        if not can_read_confidential(by, record):
            return {"notes": str(WITHHELD)}
        _audited(by, record)
        return {"notes": crypto.decrypt(record.notes_encrypted)}

    people = ["assessor", "finalised_by"]
    return [
        section(
            "psychological",
            _("Asesmen psikologis (termasuk bagian rahasia)"),
            PsychologicalAssessment.objects.filter(inmate=inmate).select_related(
                "inmate", "facility", *people
            ),
            model=PsychologicalAssessment,
            extra=psych,
            extra_labels={
                "scores": _("skor"),
                "findings": _("temuan"),
                "notes": _("catatan konseling"),
            },
        ),
        section(
            "counselling",
            _("Sesi konseling (termasuk catatan rahasia)"),
            CounsellingSession.objects.filter(inmate=inmate).select_related(
                "inmate", "facility", "counsellor"
            ),
            model=CounsellingSession,
            extra=counselling,
            extra_labels={"notes": _("catatan")},
        ),
        section(
            "literacy",
            _("Asesmen literasi"),
            LiteracyAssessment.objects.filter(inmate=inmate).select_related(
                "facility", "level", *people
            ),
            model=LiteracyAssessment,
        ),
        section(
            "interest",
            _("Asesmen minat"),
            InterestAssessment.objects.filter(inmate=inmate).select_related("facility", *people),
            model=InterestAssessment,
        ),
        section(
            "sppn",
            _("Penilaian perilaku (SPPN)"),
            BehaviourScore.objects.filter(inmate=inmate).order_by("month"),
            model=BehaviourScore,
        ),
        section(
            "rights",
            _("Usulan hak (asimilasi, PB, CB, CMB, CMK)"),
            RightProposal.objects.filter(inmate=inmate),
            model=RightProposal,
        ),
        section(
            "right_steps",
            _("Langkah usulan hak"),
            RightProposalStep.objects.filter(proposal__inmate=inmate).order_by("id"),
            model=RightProposalStep,
        ),
    ]
