from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    RUNNING = "running", _("Berjalan")
    FINISHED = "finished", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


PROGRAMME_TRANSITIONS = {
    ProgrammeStatus.PLANNED: {ProgrammeStatus.RUNNING, ProgrammeStatus.CANCELLED},
    ProgrammeStatus.RUNNING: {ProgrammeStatus.FINISHED, ProgrammeStatus.CANCELLED},
    ProgrammeStatus.FINISHED: set(),
    ProgrammeStatus.CANCELLED: set(),
}


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    CANCELLED = "cancelled", _("Dibatalkan")


class EnrolmentStatus(models.TextChoices):
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    ACTIVE = "active", _("Aktif")
    COMPLETED = "completed", _("Selesai")
    WITHDRAWN = "withdrawn", _("Mundur / dikeluarkan")
    TRANSFERRED = "transferred", _("Pindah UPT")
    RELEASED = "released", _("Bebas")


OPEN_ENROLMENT = (EnrolmentStatus.WAITLISTED, EnrolmentStatus.ACTIVE)


class WithdrawReason(models.TextChoices):
    """Reasons staff may pick; system reasons (transfer, release) are kept apart."""

    OWN_REQUEST = "own_request", _("Permintaan sendiri")
    HEALTH = "health", _("Kesehatan")
    DISCIPLINE = "discipline", _("Pelanggaran disiplin")
    SECURITY = "security", _("Alasan keamanan")
    NOT_ATTENDING = "not_attending", _("Tidak hadir berulang")
    OTHER = "other", _("Lainnya")


class SystemEndReason(models.TextChoices):
    TRANSFERRED = "transferred", _("Dipindahkan ke UPT lain")
    RELEASED = "released", _("Bebas")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Hadir")
    ABSENT = "absent", _("Tidak hadir")


class AbsenceReason(models.TextChoices):
    SICK = "sick", _("Sakit")
    COURT = "court", _("Sidang")
    VISIT = "visit", _("Kunjungan")
    DISCIPLINE = "discipline", _("Disiplin")
    TRANSFERRED = "transferred", _("Dipindahkan")
    OTHER = "other", _("Lainnya")


class EvaluationKind(models.TextChoices):
    PRE = "pre", _("Awal (pre-test)")
    POST = "post", _("Akhir (post-test)")


class ProductDisposition(models.TextChoices):
    STOCK = "stock", _("Stok")
    SOLD = "sold", _("Terjual")
    USED = "used", _("Dipakai sendiri")
    DONATED = "donated", _("Disumbangkan")


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("Berjalan")
    ENDED = "ended", _("Selesai")
