import datetime

import pytest
from django.test import override_settings

from rutan.facilities.models import FollowUpItem
from tests.factories import literacy_level


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield tmp_path / "media"


@pytest.fixture
def october(balikpapan, make_inmate):
    """Balikpapan in October 2026: three held at month end, one admitted that month."""
    make_inmate(
        balikpapan,
        name="Ahmad Fauzi",
        admission_date=datetime.date(2025, 3, 1),
        sentence_start=datetime.date(2025, 2, 20),
    )
    make_inmate(
        balikpapan,
        name="Rina Marlina",
        sex="P",
        admission_date=datetime.date(2026, 10, 12),
        sentence_start=datetime.date(2026, 10, 1),
    )
    make_inmate(
        balikpapan,
        name="Yohanes Tefa",
        register_type="A.II",
        legal_status="tahanan",
        sentence_start=None,
        sentence_years=0,
        admission_date=datetime.date(2026, 9, 5),
    )
    FollowUpItem.objects.create(
        facility=balikpapan,
        title="Panel listrik dapur rusak",
        place="Dapur",
        found_on=datetime.date(2026, 10, 20),
        due_on=datetime.date(2026, 11, 15),
    )
    return balikpapan


@pytest.fixture
def october_programmes(october, kepala):
    """A month of coaching at Balikpapan: a barbershop class, a literacy test, a PKS, an intern."""
    from assessments.models import LiteracyAssessment
    from interns.models import ActivityLog, Batch, Intern
    from partners.models import Agreement, Contribution, Partner
    from programmes.models import Attendance, Certificate, Enrolment, Product, Programme, Session
    from rutan.core.roles import Role
    from tests.factories import member

    tz = datetime.UTC
    inmates = list(october.inmates.order_by("name"))
    barber = Programme.objects.create(
        facility=october,
        title="Pelatihan Barbershop",
        pillar="kemandirian",
        area="barbershop",
        start_date=datetime.date(2026, 9, 1),
        status="running",
    )
    sessions = {
        day: Session.objects.create(
            programme=barber, date=day, start_time=datetime.time(9), end_time=datetime.time(11)
        )
        for day in (
            datetime.date(2026, 9, 20),
            datetime.date(2026, 10, 6),
            datetime.date(2026, 10, 13),
        )
    }
    enrolments = [
        Enrolment.objects.create(
            programme=barber,
            inmate=inmate,
            status="active",
            requested_on=datetime.date(2026, 9, 1),
            started_on=datetime.date(2026, 9, 1),
        )
        for inmate in inmates[:2]
    ]
    when = datetime.datetime(2026, 10, 13, 12, tzinfo=tz)
    Attendance.objects.create(
        session=sessions[datetime.date(2026, 9, 20)],
        enrolment=enrolments[0],
        status="present",
        recorded_at=when,
    )
    Attendance.objects.create(
        session=sessions[datetime.date(2026, 10, 6)],
        enrolment=enrolments[0],
        status="present",
        recorded_at=when,
    )
    Attendance.objects.create(
        session=sessions[datetime.date(2026, 10, 6)],
        enrolment=enrolments[1],
        status="absent",
        reason="sick",
        recorded_at=when,
    )
    Attendance.objects.create(
        session=sessions[datetime.date(2026, 10, 13)],
        enrolment=enrolments[0],
        status="present",
        recorded_at=when,
    )
    Attendance.objects.create(
        session=sessions[datetime.date(2026, 10, 13)],
        enrolment=enrolments[1],
        status="present",
        recorded_at=when,
    )
    enrolments[0].status = "completed"
    enrolments[0].ended_on = datetime.date(2026, 10, 20)
    enrolments[0].save()
    Certificate.objects.create(
        facility=october,
        enrolment=enrolments[0],
        number="BPN/2026/001",
        competence="Pangkas rambut dasar",
        issuer="LPK Maju Jaya",
        issued_on=datetime.date(2026, 10, 21),
    )
    Product.objects.create(
        programme=barber,
        name="Potong rambut",
        made_on=datetime.date(2026, 10, 15),
        quantity=40,
        unit_value=15000,
    )
    LiteracyAssessment.objects.create(
        inmate=inmates[0],
        facility=october,
        assessor=kepala,
        assessed_on=datetime.date(2026, 10, 9),
        script="latin",
        level=literacy_level("keaksaraan_dasar"),
        reading_score=40,
        writing_score=30,
        numeracy_score=50,
        status="final",
    )
    partner = Partner.objects.create(facility=october, name="LPK Maju Jaya", partner_type="company")
    agreement = Agreement.objects.create(
        facility=october,
        partner=partner,
        kind="pks",
        number="PKS-07/2026",
        title="Pelatihan barbershop",
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2026, 12, 15),
        status="active",
        signed_on=datetime.date(2025, 12, 20),
    )
    Contribution.objects.create(
        agreement=agreement,
        given_on=datetime.date(2026, 10, 6),
        kind="trainer",
        description="Instruktur dua sesi",
        hours=4,
        value_idr=600000,
    )
    batch = Batch.objects.create(
        facility=october,
        name="Magang Nasional Batch III",
        start_on=datetime.date(2026, 8, 1),
        end_on=datetime.date(2027, 1, 31),
    )
    intern = Intern.objects.create(
        batch=batch,
        user=member(Role.INTERN, facility=october, username="magang_uji"),
        campus="Universitas Mulawarman",
        study_programme="Gizi",
    )
    ActivityLog.objects.create(
        intern=intern,
        on=datetime.date(2026, 10, 8),
        hours=6,
        log_type="survei_gizi_dapur",
        people_reached=120,
        status="approved",
        description="Survei menu dapur",
    )
    return october


@pytest.fixture
def committed_db(django_db_blocker):
    """For tests whose work is committed (threads, a worker process): a committed test ends
    with a flushed database, so the migration's national stage rules are put back before and
    after. Request it before `transactional_db`."""
    from rutan.inmates.models import StageRule

    def restore():
        with django_db_blocker.unblock():
            for stage, numerator, denominator in [
                ("lanjutan", 1, 3),
                ("asimilasi", 1, 2),
                ("integrasi", 2, 3),
            ]:
                StageRule.objects.get_or_create(
                    facility=None,
                    stage=stage,
                    defaults={"numerator": numerator, "denominator": denominator},
                )

    restore()
    yield
    restore()
