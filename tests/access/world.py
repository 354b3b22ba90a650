"""Two facilities with one record of every kind, made through the services.

The access matrix asks for each URL with the ids of "own" (Rutan Balikpapan, where the
role members work) and "other" (Rutan Ruteng, in another regional office) records.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from assessments import services as assessments
from assessments import standings
from assessments.models import RightProposal
from interns import services as interns
from interns.models import Batch, Intern
from partners import services as partners
from partners.models import Contribution, Side, Signatory
from programmes import services as programmes
from programmes.models import AssimilationPlacement
from rutan.core.models import AuditAction, Heartbeat, JobRun, LiteracyLevel, OutboxMessage
from rutan.core.roles import REGIONAL_ROLES, Role
from rutan.core.services import audit_record
from rutan.facilities import services as facilities
from rutan.imports.models import DataImport
from rutan.inmates import services as inmates
from rutan.reports.models import ReportRun, ReportScope, ReportStatus
from tests.factories import (
    BlockFactory,
    FacilityFactory,
    RegionalOfficeFactory,
    inmate_data,
    member,
    register_inmate,
)

D = datetime.timedelta
OWN, OTHER = "own", "other"

# One member of every role of DESIGN.md (and the data-protection role), all staff so the
# admin's own scoping is what is tested, not the staff flag. Facility roles work at "own",
# the regional officer in own's regional office, the national admin everywhere.
FACILITY_ROLES = [r for r in Role if r != Role.NATIONAL_ADMIN and r not in REGIONAL_ROLES]


def pdf_bytes() -> bytes:
    buf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(buf)
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buf, format="JPEG")
    return buf.getvalue()


@dataclass
class Side_:
    facility: object
    objects: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]


@dataclass
class World:
    own: Side_
    other: Side_
    users: dict
    # Members of the other facility: its head, psychologist, mentor and intern.
    others: dict = field(default_factory=dict)

    def side(self, name: str) -> Side_:
        return self.own if name == OWN else self.other


def _facility(code, name, region):
    facility = FacilityFactory(code=code, name=name, regional_office=region)
    BlockFactory(facility=facility, name="Blok A", sex="L")
    BlockFactory(facility=facility, name="Blok Wanita", sex="P")
    return facility


def _records(facility, head, psychologist, mentor, intern_user, admin, tag) -> dict:
    today = facility.today()
    o: dict = {
        "facility": facility,
        "region": facility.regional_office,
        "block": facility.blocks.get(name="Blok A"),
    }
    inmate = register_inmate(
        facility,
        admin,
        **inmate_data(
            registration_number=f"B{tag[0]}.0001/2025",
            name=f"Warga {tag} Satu",
            block=o["block"],
        ),
    )
    released = register_inmate(
        facility,
        admin,
        **inmate_data(
            registration_number=f"B{tag[0]}.0002/2025",
            name=f"Warga {tag} Dua",
            block=o["block"],
        ),
    )
    inmates.inmate_release(inmate=released, on=today - D(days=3), by=admin)
    o["inmate"], o["released"] = inmate, released
    o["detention"] = inmate.detention_periods.first()
    o["remisi"] = inmate.remisi_grants.first()
    o["discipline"] = inmates.disciplinary_create(
        inmate=inmate,
        occurred_on=today - D(days=20),
        offence="Berkelahi",
        sanction="Teguran tertulis",
        by=admin,
    )
    programme = programmes.programme_create(
        facility=facility,
        by=admin,
        title=f"Kelas Literasi {tag}",
        pillar="kepribadian",
        area="literasi",
        capacity=10,
        start_date=today - D(days=60),
        facilitator="Petugas Uji",
        status="running",
    )
    o["programme"] = programme
    o["slot"] = programmes.schedule_slot_create(
        programme=programme,
        weekday=today.weekday(),
        start_time=datetime.time(0, 0),
        end_time=datetime.time(0, 30),
        by=admin,
    )
    enrolment = programmes.enrolment_create(
        programme=programme, inmate=inmate, by=admin, requested_on=today - D(days=30)
    )
    o["enrolment"] = enrolment
    o["enrolmentevent"] = enrolment.events.first()
    session = programmes.session_create(
        programme=programme,
        by=admin,
        date=today - D(days=7),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
        topic="Membaca",
    )
    o["session"] = session
    o["attendance"] = programmes.attendance_record(session=session, absences={}, by=admin)[0]
    o["evaluation"] = programmes.evaluation_record(
        enrolment=enrolment, kind="pre", score=60, by=admin, on=today - D(days=50)
    )
    o["product"] = programmes.product_create(
        programme=programme,
        by=admin,
        name="Buku bacaan",
        made_on=today - D(days=5),
        quantity=3,
        unit="buah",
        unit_value=10000,
    )
    second = programmes.programme_create(
        facility=facility,
        by=admin,
        title=f"Pangkas Rambut {tag}",
        pillar="kemandirian",
        area="barbershop",
        capacity=10,
        start_date=today - D(days=60),
        facilitator="Petugas Uji",
        status="running",
    )
    completed = programmes.enrolment_create(
        programme=second, inmate=inmate, by=admin, requested_on=today - D(days=30)
    )
    completed = programmes.enrolment_complete(enrolment=completed, by=admin, on=today - D(days=1))
    o["certificate"] = programmes.certificate_issue(
        enrolment=completed, competence="Pangkas rambut dasar", issuer="BLK Uji", by=admin
    )
    o["placement"] = AssimilationPlacement.objects.create(
        facility=facility,
        inmate=inmate,
        workplace="Kafe Uji",
        supervisor="Pengawas Uji",
        decree_reference=f"SK/{tag}/1",
        start_date=today - D(days=10),
    )
    o["psych"] = assessments.psych_create(
        inmate=inmate,
        by=psychologist,
        assessed_on=today - D(days=4),
        instrument="DASS-21",
        scores={"stres": 14},
        findings=f"Temuan rahasia {tag}",
        finalise=True,
    )
    o["literacy"] = assessments.literacy_create(
        inmate=inmate,
        by=head,
        finalise=True,
        assessed_on=today - D(days=4),
        script="latin",
        level=LiteracyLevel.objects.get(code="paket_b"),
        reading_score=70,
        writing_score=65,
        numeracy_score=60,
    )
    o["interest"] = assessments.interest_create(
        inmate=inmate,
        by=head,
        finalise=True,
        assessed_on=today - D(days=4),
        areas=["barbershop"],
    )
    o["behaviour"] = assessments.behaviour_score_create(
        inmate=inmate,
        month=(today.replace(day=1) - D(days=1)).replace(day=1),
        by=head,
        kepribadian=75,
        kemandirian=75,
        sikap=75,
        kondisi_mental=75,
    )
    o["counselling"] = assessments.counselling_create(
        inmate=inmate, by=psychologist, held_on=today - D(days=2), topic="Keluarga"
    )
    o["survey"] = assessments.survey_create(
        facility=facility,
        by=head,
        kind="survei_gizi_dapur",
        title=f"Survei gizi dapur {tag}",
        surveyed_on=today - D(days=2),
        place="Dapur",
        summary="Menu sesuai standar.",
    )
    o["proposal"] = RightProposal.objects.create(
        inmate=inmate, kind="asimilasi", opened_on=today - D(days=2)
    )
    o["book"] = standings.refresh(facility)
    partner = partners.partner_create(
        facility=facility, by=head, name=f"Yayasan Uji {tag}", partner_type="yayasan"
    )
    o["partner"] = partner
    o["contact"] = partners.part_save(
        instance=partners.PartnerContact(partner=partner, name="Kontak Uji", role="Ketua"),
        by=head,
    )
    agreement = partners.agreement_create(
        facility=facility,
        partner=partner,
        by=head,
        kind="pks",
        number=f"PKS/{tag}/01",
        title="Program Rehabilitasi",
        signed_on=today - D(days=10),
        valid_from=today - D(days=10),
        valid_to=today + D(days=355),
    )
    for side, name in [(Side.FACILITY, "Kepala Uji"), (Side.PARTNER, "Ketua Uji")]:
        partners.part_save(
            instance=Signatory(agreement=agreement, side=side, name=name, title="Jabatan"),
            by=head,
        )
    agreement = partners.agreement_attach_document(
        agreement=agreement,
        document=SimpleUploadedFile("pks.pdf", pdf_bytes(), content_type="application/pdf"),
        by=head,
    )
    o["agreement"] = partners.agreement_activate(agreement=agreement, by=head)
    o["contribution"] = Contribution.objects.create(
        agreement=o["agreement"],
        given_on=today - D(days=3),
        kind="barang",
        description="Buku",
        quantity=5,
        value_idr=100000,
    )
    o["guarantee"] = partners.guarantee_create(
        partner=partner,
        inmate=inmate,
        by=head,
        letter_number=f"01/{tag}/2026",
        valid_from=today - D(days=5),
        letter=SimpleUploadedFile("jaminan.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    batch = Batch.objects.create(
        facility=facility,
        name=f"Magang Nasional {tag}",
        start_on=today - D(days=120),
        end_on=today + D(days=60),
    )
    o["batch"] = batch
    intern = Intern.objects.create(
        batch=batch,
        user=intern_user,
        campus="Universitas Uji",
        study_programme="Psikologi",
        mentor=mentor,
    )
    o["intern"] = intern
    o["intern_attendance"] = interns.attendance_check_in(
        intern=intern, by=intern_user, at=timezone.now() - D(days=1)
    )
    log = interns.log_save_draft(
        intern=intern,
        by=intern_user,
        data={
            "on": today - D(days=1),
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(11, 0),
            "log_type": "asesmen_literasi",
            "place": "Ruang pembinaan",
            "people_reached": 5,
            "description": f"Kegiatan magang {tag}.",
            "findings": "",
        },
        photos=[SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")],
    )
    o["log"] = interns.log_submit(log=log, by=intern_user)
    o["photo"] = o["log"].photos.first()
    o["followup"] = facilities.followup_create(
        facility=facility, title=f"Perbaiki dapur {tag}", by=head
    )
    run = ReportRun.objects.create(
        scope=ReportScope.FACILITY,
        facility=facility,
        period=(today.replace(day=1) - D(days=1)).strftime("%Y-%m"),
        status=ReportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
    run.file.save("laporan.pdf", ContentFile(pdf_bytes()), save=True)
    o["report"] = run
    upload = DataImport.objects.create(kind="register", facility=facility, created_by=head)
    upload.file.save("register.csv", ContentFile(b"registration_number\n"), save=True)
    o["import"] = upload
    o["jobrun"] = JobRun.objects.create(
        kind="partners.expire_agreements", started_at=timezone.now(), facility_id=facility.pk
    )
    o["audit"] = audit_record(actor=head, action=AuditAction.READ, instance=inmate, via="uji")
    return o


def build_world() -> World:
    kaltim = RegionalOfficeFactory(code="kaltim", name="Kanwil Kalimantan Timur")
    ntt = RegionalOfficeFactory(code="ntt", name="Kanwil Nusa Tenggara Timur")
    own = _facility("rutan-balikpapan", "Rutan Kelas IIA Balikpapan", kaltim)
    other = _facility("rutan-ruteng", "Rutan Kelas IIB Ruteng", ntt)
    users = {
        Role.NATIONAL_ADMIN: member(Role.NATIONAL_ADMIN, staff=True, username="nasional"),
        Role.REGIONAL_OFFICER: member(
            Role.REGIONAL_OFFICER, regional_office=kaltim, staff=True, username="kanwil"
        ),
        Role.REGIONAL_HEAD: member(
            Role.REGIONAL_HEAD, regional_office=kaltim, staff=True, username="kakanwil"
        ),
    }
    for role in FACILITY_ROLES:
        users[role] = member(role, facility=own, staff=True, username=f"{role}")
    other_users = {
        role: member(role, facility=other, staff=True, username=f"{role}_lain")
        for role in (Role.FACILITY_HEAD, Role.PSYCHOLOGIST, Role.MENTOR, Role.INTERN)
    }
    admin = users[Role.NATIONAL_ADMIN]
    own_objects = _records(
        own,
        users[Role.FACILITY_HEAD],
        users[Role.PSYCHOLOGIST],
        users[Role.MENTOR],
        users[Role.INTERN],
        admin,
        "Alfa",
    )
    other_objects = _records(
        other,
        other_users[Role.FACILITY_HEAD],
        other_users[Role.PSYCHOLOGIST],
        other_users[Role.MENTOR],
        other_users[Role.INTERN],
        admin,
        "Zulu",
    )
    own_objects["user"] = users[Role.REGISTRY_OFFICER]
    other_objects["user"] = other_users[Role.FACILITY_HEAD]
    # A task asked for (national, no facility): the outbox admin's record.
    OutboxMessage.objects.create(task="core.outbox_drain", next_attempt_at=timezone.now())
    # A worker's sign of life (national, no facility): the heartbeat admin's record.
    Heartbeat.objects.create(
        kind=Heartbeat.WORKER,
        name="celery@world/1",
        started_at=timezone.now(),
        seen_at=timezone.now(),
        detail={"queues": ["batch", "interactive"], "concurrency": 2},
    )
    return World(
        own=Side_(own, own_objects),
        other=Side_(other, other_objects),
        users=users,
        others=other_users,
    )
