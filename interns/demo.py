"""Magang Nasional Batch III at Rutan Kelas IIA Balikpapan (from 18 December 2025).

The activities follow the shared seeds (000: the 18 December 2025 day of kitchen nutrition
survey, psychological assessment and counselling in Blok Wanita, literacy assessment and an
electrical check; 002: the Qonita pengajian of 6 April 2026). Every person is invented.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from rutan.accounts.models import Membership, User
from rutan.core.demo import DemoContext, seeder
from rutan.core.roles import Role
from rutan.facilities.models import FollowUpItem
from rutan.facilities.services import followup_update

from . import services
from .models import ActivityLog, Batch, DailyAttendance, Intern, LogReview

BATCH_NAME = "Magang Nasional Batch III"
BATCH_START = datetime.date(2025, 12, 18)

# username, full name (invented), campus, study programme, unit
INTERNS = [
    (
        "magang",
        None,
        "Universitas Mulawarman",
        "Psikologi",
        "Pembinaan kepribadian / layanan psikologi",
    ),
    ("nadia", "Nadia Kusumawardani", "Poltekkes Kemenkes Kalimantan Timur", "Gizi", "Dapur"),
    (
        "rizal",
        "Rizal Maulana",
        "Politeknik Negeri Balikpapan",
        "Teknik Listrik",
        "Pengelolaan fasilitas umum",
    ),
    (
        "salsa",
        "Salsabila Ramadhani",
        "Universitas Balikpapan",
        "Pendidikan Bahasa Indonesia",
        "Pembinaan kepribadian",
    ),
]

# The day of seed 000: (intern, type, start, end, block, place, people, description, findings)
DAY_ONE = [
    (
        "nadia",
        "survei_gizi_dapur",
        "08:00",
        "11:00",
        None,
        "Dapur Rutan",
        0,
        "Survei dapur bersama Ahli Gizi Rutan: pengecekan bahan makanan, proses pengolahan dan "
        "kesesuaian menu dengan standar gizi yang ditetapkan.",
        "Porsi sayur pada menu makan siang di bawah standar gizi harian.",
    ),
    (
        "magang",
        "asesmen_psikologis",
        "08:30",
        "11:30",
        "Blok Wanita",
        "Ruang konseling",
        9,
        "Sosialisasi program pembinaan kepribadian bagi WBP perempuan, dilanjutkan asesmen "
        "psikologis bersama psikolog Rutan dan penyusunan rekomendasi psikologis.",
        "",
    ),
    (
        "magang",
        "konseling",
        "13:00",
        "15:00",
        "Blok Wanita",
        "Ruang konseling",
        5,
        "Pendampingan konseling psikologis WBP perempuan: pengendalian diri dan kesiapan "
        "reintegrasi sosial.",
        "",
    ),
    (
        "salsa",
        "asesmen_literasi",
        "09:00",
        "12:00",
        None,
        "Ruang pembinaan kepribadian",
        14,
        "Asesmen buta aksara bersama Pembina Kepribadian untuk memetakan kemampuan literasi dasar "
        "WBP sebagai dasar kelas literasi lanjutan.",
        "",
    ),
    (
        "rizal",
        "pemeriksaan_listrik",
        "08:00",
        "12:00",
        "Blok B",
        "Panel distribusi Blok B",
        0,
        "Pendampingan pengelola fasilitas umum: identifikasi titik permasalahan kelistrikan, "
        "pengecekan instalasi dan pendataan kebutuhan perbaikan.",
        "Panel listrik distribusi Blok B rusak: MCB sering trip dan kabel terkelupas di dalam "
        "panel.",
    ),
]

ROUTINE = {
    "magang": [
        ("konseling", "Blok Wanita", "Konseling individual lanjutan bagi WBP perempuan."),
        ("asesmen_psikologis", "Blok A", "Asesmen psikologis WBP baru tahap admisi-orientasi."),
    ],
    "nadia": [
        ("survei_gizi_dapur", None, "Pemantauan menu harian dan pencatatan suhu penyimpanan."),
    ],
    "rizal": [
        ("pemeriksaan_listrik", "Blok A", "Pengecekan lampu sel dan stop kontak Blok A."),
        ("pemeriksaan_listrik", "Blok Wanita", "Pengecekan instalasi penerangan Blok Wanita."),
    ],
    "salsa": [
        ("asesmen_literasi", None, "Asesmen literasi lanjutan dan pembagian kelompok belajar."),
        ("fasilitasi_pembinaan", None, "Mendampingi kelas keaksaraan dasar."),
    ],
}


def _time(text):
    return datetime.time.fromisoformat(text)


def _backdate(log, day, *, reviewed_days=2):
    """Demo history: make submission and review times match the day of the activity."""
    submitted = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(16, 0)), log.intern.batch.facility.tzinfo
    )
    reviewed = submitted + datetime.timedelta(days=reviewed_days)
    ActivityLog.objects.filter(pk=log.pk).update(
        submitted_at=submitted, reviewed_at=reviewed if log.reviewed_at else None
    )
    reviews = list(log.reviews.order_by("at", "id"))
    for index, review in enumerate(reviews):
        at = submitted if index == 0 else reviewed + datetime.timedelta(minutes=index)
        LogReview.objects.filter(pk=review.pk).update(at=at)


def _log(intern, day, log_type, start, end, block, place, people, description, findings=""):
    return services.log_save_draft(
        intern=intern,
        by=intern.user,
        data={
            "on": day,
            "start_time": _time(start),
            "end_time": _time(end),
            "log_type": log_type,
            "block": intern.batch.facility.blocks.filter(name=block).first() if block else None,
            "place": place,
            "people_reached": people or None,
            "description": description,
            "findings": findings,
        },
    )


@seeder(order=60)
def seed_interns(ctx: DemoContext) -> None:
    facility = ctx.data["facilities"]["rutan-balikpapan"]
    users = ctx.data["users"]
    mentor, kepala = users["mentor"], users["kepala"]
    today = timezone.localdate(timezone.now(), facility.tzinfo)
    # Six months from 18 December 2025; kept open past today so the demo can be tried live.
    end_on = max(BATCH_START + relativedelta(months=6) - datetime.timedelta(days=1), today)
    batch, _ = Batch.objects.get_or_create(
        facility=facility,
        name=BATCH_NAME,
        defaults={"start_on": BATCH_START, "end_on": end_on + datetime.timedelta(days=30)},
    )
    interns = {}
    for username, full_name, campus, study, unit in INTERNS:
        user = users.get(username)
        if user is None:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"full_name": full_name, "email": f"{username}@kampus.invalid"},
            )
            if created or ctx.password:
                user.set_password(ctx.password)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, role=Role.INTERN, facility=facility)
        interns[username], _ = Intern.objects.get_or_create(
            user=user,
            defaults={
                "batch": batch,
                "campus": campus,
                "study_programme": study,
                "unit": unit,
                "mentor": mentor,
            },
        )
    if ActivityLog.objects.filter(intern__batch=batch).exists():
        ctx.log(f"{BATCH_NAME}: sudah ada")
        return

    count = 0
    # 18 December 2025 (seed 000), approved by the mentor two days later.
    for username, *spec in DAY_ONE:
        log = _log(interns[username], BATCH_START, *spec)
        services.log_submit(log=log, by=log.intern.user)
        services.log_approve(log=log, by=mentor, comment="Uraian jelas, terima kasih.")
        _backdate(log, BATCH_START)
        count += 1

    # About a month of routine days; most approved, some left for the automatic approval.
    day = BATCH_START + datetime.timedelta(days=1)
    n = 0
    while day <= datetime.date(2026, 1, 16):
        if day.weekday() < 5:
            for username, routines in ROUTINE.items():
                log_type, block, description = routines[n % len(routines)]
                log = _log(
                    interns[username],
                    day,
                    log_type,
                    "08:30",
                    "11:30" if n % 3 else "12:00",
                    block,
                    "",
                    3 + n % 6 if log_type != "pemeriksaan_listrik" else 0,
                    description,
                )
                services.log_submit(log=log, by=log.intern.user)
                if n % 5:
                    services.log_approve(log=log, by=mentor)
                _backdate(log, day)
                count += 1
                n += 1
        day += datetime.timedelta(days=1)
    services.logs_auto_approve()
    auto = ActivityLog.objects.filter(intern__batch=batch, auto_approved=True)
    for log in auto:
        reviewed = log.submitted_at + datetime.timedelta(days=14)
        ActivityLog.objects.filter(pk=log.pk).update(reviewed_at=reviewed)
        log.reviews.filter(action="auto_approved").update(at=reviewed)

    # 6 April 2026 (seed 002): the Qonita pengajian for women WBP.
    qonita = datetime.date(2026, 4, 6)
    for username in ("magang", "salsa"):
        log = _log(
            interns[username],
            qonita,
            "fasilitasi_pembinaan",
            "09:00",
            "11:30",
            "Blok Wanita",
            "Masjid / ruang pengajian",
            25,
            "Mendukung pengajian rutin Qonita bersama WBP perempuan: persiapan, pembacaan ayat "
            "suci Al-Qur'an, tausiyah dan sesi diskusi.",
        )
        services.log_submit(log=log, by=log.intern.user)
        services.log_approve(log=log, by=mentor)
        _backdate(log, qonita, reviewed_days=1)
        count += 1

    # The last days: something in every state for the demo journey.
    magang = interns["magang"]
    recent = today - datetime.timedelta(days=2)
    log = _log(
        magang,
        recent,
        "asesmen_literasi",
        "09:00",
        "11:00",
        None,
        "Ruang pembinaan kepribadian",
        10,
        "Asesmen literasi bersama Pembina Kepribadian.",
    )
    services.log_submit(log=log, by=magang.user)
    services.log_return(log=log, by=mentor, comment="Sebutkan berapa WBP yang masih buta aksara.")
    log = _log(
        magang,
        today - datetime.timedelta(days=1),
        "konseling",
        "13:00",
        "14:30",
        "Blok Wanita",
        "Ruang konseling",
        4,
        "Konseling kelompok WBP perempuan menjelang asimilasi.",
    )
    services.log_submit(log=log, by=magang.user)
    log = _log(
        interns["rizal"],
        today - datetime.timedelta(days=1),
        "pemeriksaan_listrik",
        "08:00",
        "10:00",
        "Blok C",
        "Ruang kunjungan",
        0,
        "Pengecekan instalasi listrik ruang kunjungan.",
    )
    services.log_submit(log=log, by=log.intern.user)
    services.log_save_draft(
        intern=magang,
        by=magang.user,
        data={"on": today, "log_type": "lainnya", "description": "Rapat koordinasi mentor."},
    )
    count += 4

    # The kitchen nutrition gap is being handled; the electrical panel is still open.
    nutrition = ActivityLog.objects.filter(
        intern=interns["nadia"], on=BATCH_START, follow_up__isnull=False
    ).first()
    if nutrition:
        followup_update(
            item=nutrition.follow_up,
            by=kepala,
            owner=users.get("psikolog"),
            due_on=datetime.date(2026, 1, 31),
            status="in_progress",
        )

    for log in ActivityLog.objects.filter(intern__batch=batch, follow_up__isnull=False):
        FollowUpItem.objects.filter(pk=log.follow_up_id).update(created_at=log.submitted_at)

    _attendance(interns, today)
    _evaluations(interns, mentor, today)
    ctx.log(f"{BATCH_NAME}: {len(interns)} peserta, {count} catatan kegiatan")


def _attendance(interns, today):
    for username, intern in interns.items():
        tz = intern.batch.facility.tzinfo
        days = [BATCH_START + datetime.timedelta(days=i) for i in range(30)]
        if username == "magang":
            days += [today - datetime.timedelta(days=i) for i in range(1, 15)]
        for i, day in enumerate(days):
            if day.weekday() >= 5 or (i % 11 == 7):
                continue  # weekends, and a few missed days for the mentor to see
            check_in = timezone.make_aware(datetime.datetime.combine(day, _time("07:45")), tz)
            DailyAttendance.objects.get_or_create(
                intern=intern,
                on=day,
                defaults={
                    "check_in": check_in,
                    "check_out": check_in + datetime.timedelta(hours=8, minutes=15),
                },
            )


def _evaluations(interns, mentor, today):
    last_month = today.replace(day=1) - relativedelta(months=1)
    for username, intern in interns.items():
        month = BATCH_START.replace(day=1)
        n = 0
        while month <= last_month:
            if username == "rizal" and month == last_month:
                break  # one evaluation still owed, for the reminder
            score = 3 + (n + len(username)) % 3
            services.evaluation_save(
                intern=intern,
                month=month,
                by=mentor,
                discipline=score,
                initiative=max(3, score - 1),
                competence=score,
                teamwork=4,
                comment="Perkembangan baik." if score >= 4 else "Perlu lebih proaktif.",
            )
            month += relativedelta(months=1)
            n += 1
