import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import ProgrammeArea, Script


class TimeStampedModel(models.Model):
    """Base of every domain model: when and by whom a row was made and last changed."""

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        # Who made or changed a row is set by the services from the signed-in user, never
        # typed in: checking that the user exists would cost two queries on every save.
        exclude = {*(exclude or ()), "created_by", "updated_by"}
        super().full_clean(exclude, validate_unique, validate_constraints)

    def validate_constraints(self, exclude=None):
        # Every check constraint of the row in one query, not three statements each.
        from .constraints import validate_constraints

        validate_constraints(self, exclude)


# What an anonymised personal value reads as, everywhere: the register, history tables and
# the audit log. The audit table's trigger (migration core/0007) lets a row change only to it.
REDACTION_MARK = "[dianonimkan]"


class AuditAction(models.TextChoices):
    CREATE = "create", _("buat")
    UPDATE = "update", _("ubah")
    DELETE = "delete", _("hapus")
    READ = "read", _("baca")
    TRANSFER = "transfer", _("pindah")
    RELEASE = "release", _("bebas")
    DENIED = "denied", _("ditolak")
    ANONYMISE = "anonymise", _("anonimkan")


class AuditEntry(models.Model):
    """One read or write of personal data: who, when, from where, what, before and after.

    Append-only: on PostgreSQL a trigger refuses every UPDATE, DELETE and TRUNCATE, except
    the retention job's redaction (personal values replaced by REDACTION_MARK, once). The
    actor's name and username are copied into the row, so it reads the same after the
    account changes; users are deactivated, never deleted (the actor is PROTECTed).
    `inmate_id` is the inmate the entry is about, so the log is searched by inmate.
    """

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor_name = models.CharField(_("nama pelaku"), max_length=200, blank=True)
    actor_username = models.CharField(_("nama pengguna pelaku"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("jenis objek"), max_length=100)
    object_id = models.CharField(_("ID objek"), max_length=64)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    facility_id = models.BigIntegerField(_("ID UPT"), null=True, blank=True, db_index=True)
    inmate_id = models.BigIntegerField(_("ID WBP"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    via = models.CharField(_("melalui"), max_length=20, blank=True)
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    request_id = models.CharField(_("ID permintaan"), max_length=32, blank=True)
    path = models.CharField(_("alamat halaman"), max_length=300, blank=True)
    redacted_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        """ "05-12-2026 03:43 baca mitra #1": the time where the reader is, the action and the
        object named in the reader's language."""
        from django.apps import apps

        try:
            kind = apps.get_model(self.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            kind = self.object_type
        at = timezone.localtime(self.at).strftime("%d-%m-%Y %H:%M") if self.at else ""
        return f"{at} {self.get_action_display()} {kind} #{self.object_id}".strip()

    @property
    def actor_label(self) -> str:
        """Who acted, as the row recorded it ("Nama (username)"); empty for a system job."""
        if self.actor_name and self.actor_username and self.actor_name != self.actor_username:
            return f"{self.actor_name} ({self.actor_username})"
        return self.actor_name or self.actor_username


# Labels of job kinds; each app registers its own in AppConfig.ready() (core imports no app).
JOB_KIND_LABELS: dict[str, str] = {}


class JobRun(models.Model):
    """One run of a scheduled job, kept so staff can see that it ran and how it ended.

    `kind` names the job ("partners.expire_agreements"); `success` is empty while it runs.
    `facility_id` and `regional_office_id` are plain ids: core knows no facility model.
    """

    kind = models.CharField(_("jenis tugas"), max_length=100)
    started_at = models.DateTimeField(_("mulai"), db_index=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    success = models.BooleanField(_("berhasil"), null=True)
    processed = models.PositiveIntegerField(_("jumlah diproses"), default=0)
    detail = models.TextField(_("keterangan"), blank=True)
    error = models.TextField(_("galat"), blank=True)
    facility_id = models.BigIntegerField(_("ID UPT"), null=True, blank=True, db_index=True)
    regional_office_id = models.BigIntegerField(_("ID Kanwil"), null=True, blank=True)

    class Meta:
        verbose_name = _("jalannya tugas terjadwal")
        verbose_name_plural = _("jalannya tugas terjadwal")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "-started_at"], name="core_jobrun_kind_started")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"

    def get_kind_display(self) -> str:
        return str(JOB_KIND_LABELS.get(self.kind, self.kind))


class LiteracyLevelQuerySet(models.QuerySet):
    def resolve(self, value) -> "LiteracyLevel | None":
        """The level given as a level or as its code; None when there is no such level."""
        if value is None or isinstance(value, LiteracyLevel):
            return value
        return self.filter(code=value).first()

    def tracks(self) -> list[tuple[str, str, list["LiteracyLevel"]]]:
        """Every track as (script, script label, levels lowest first), Latin first (1 query)."""
        levels = list(self.order_by("rank", "id"))
        return [
            (script, label, [lv for lv in levels if lv.script == script])
            for script, label in Script.choices
            if any(lv.script == script for lv in levels)
        ]


class LiteracyLevel(models.Model):
    """One level of a literacy track: Latin (keaksaraan, kesetaraan) or Al-Qur'an reading.

    Levels are data (seeded by migration core/0004 with their basis) and compare only within
    their own script, by `rank` (1 = lowest). A literacy assessment and a programme's minimum
    point at a level, so a Qur'an assessment never moves the Latin level and vice versa.
    """

    script = models.CharField(_("aksara"), max_length=12, choices=Script.choices)
    code = models.SlugField(
        _("kode"), max_length=40, unique=True, help_text=_("Kode tetap, dipakai API dan laporan.")
    )
    label = models.CharField(_("nama tingkat"), max_length=120)
    rank = models.PositiveSmallIntegerField(
        _("urutan"), help_text=_("1 = tingkat terendah dalam aksara ini.")
    )
    description = models.TextField(_("uraian"), blank=True)
    basis = models.TextField(_("dasar / acuan"), blank=True)
    recommended_area = models.CharField(
        _("bidang program yang direkomendasikan"),
        max_length=20,
        choices=ProgrammeArea.choices,
        blank=True,
        help_text=_("Kosongkan bila tingkat ini tidak perlu program lanjutan."),
    )
    recommendation = models.CharField(
        _("program yang direkomendasikan"),
        max_length=200,
        blank=True,
        help_text=_("Mis. Kelas Keaksaraan Dasar, Kelas Iqra."),
    )

    objects = LiteracyLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("tingkat literasi")
        verbose_name_plural = _("tingkat literasi")
        ordering = ["script", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["script", "rank"],
                name="literacy_level_rank_per_script",
                violation_error_message=_("Urutan ini sudah dipakai tingkat lain pada aksara ini."),
            ),
        ]

    def __str__(self):
        return f"{self.display_label} ({self.get_script_display()})"

    # Seeded texts have translations (rutan/core/i18n_extra.py); texts edited later show as typed.
    @property
    def display_label(self) -> str:
        return gettext(self.label) if self.label else ""

    @property
    def display_description(self) -> str:
        return gettext(self.description) if self.description else ""

    @property
    def display_recommendation(self) -> str:
        return gettext(self.recommendation) if self.recommendation else ""


class FacilityChange(models.Model):
    """A write to a facility's data (no facility: a write that concerns every facility).

    Appended by database triggers only (see `rutan.core.freshness`); the sum of a facility's
    weights is its version, which keys the cached figures of its pages.
    """

    # Not a foreign key: appending must take no lock on the facility row.
    facility_id = models.BigIntegerField(null=True, blank=True)
    # The table written to, so a figure can depend on some tables only.
    source = models.CharField(max_length=63, default="")
    weight = models.PositiveBigIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["facility_id", "source"], include=["weight"], name="core_fc_fac")
        ]
        verbose_name = _("perubahan data UPT")
        verbose_name_plural = _("perubahan data UPT")

    def __str__(self):
        return f"{self.facility_id or '*'} +{self.weight}"


class Heartbeat(models.Model):
    """The last sign of life of one background process: a Celery worker or the beat.

    `kind` is "worker" or "beat", `name` the process's host name (a worker's node name).
    One row per process, overwritten by `rutan.core.heartbeat.record`; administrators read
    them to see which workers and which beat are alive and when each was last seen.
    """

    WORKER = "worker"
    BEAT = "beat"
    KINDS = [(WORKER, _("pekerja (worker)")), (BEAT, _("penjadwal (beat)"))]

    kind = models.CharField(_("jenis"), max_length=20, choices=KINDS)
    name = models.CharField(_("nama"), max_length=200)
    pid = models.PositiveIntegerField(_("PID"), null=True, blank=True)
    started_at = models.DateTimeField(_("berjalan sejak"))
    seen_at = models.DateTimeField(_("terakhir terlihat"), db_index=True)
    detail = models.JSONField(_("keterangan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("denyut layanan")
        verbose_name_plural = _("denyut layanan")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="core_heartbeat_kind_name")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class BeatLease(models.Model):
    """Who may dispatch scheduled jobs: the one beat holding this row (rutan.core.beat).

    The holder renews `expires_at` on every tick; another beat takes the row over only once
    it has expired (its holder died or lost the database), by a conditional UPDATE.
    """

    name = models.CharField(_("nama"), max_length=50, unique=True)
    holder = models.CharField(_("pemegang"), max_length=200, blank=True)
    acquired_at = models.DateTimeField(_("dipegang sejak"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kunci penjadwal")
        verbose_name_plural = _("kunci penjadwal")

    def __str__(self):
        return self.name


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("menunggu dikirim")
    SENT = "sent", _("terkirim ke antrean")
    STARTED = "started", _("sedang dikerjakan")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")


class OutboxMessage(models.Model):
    """One Celery task asked for, written in the caller's transaction (see core.outbox).

    Its id is the Celery task id, so the worker can mark it started, done or failed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(_("tugas"), max_length=200)
    args = models.JSONField(_("argumen"), default=list, blank=True)
    kwargs = models.JSONField(_("argumen bernama"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("percobaan kirim"), default=0)
    next_attempt_at = models.DateTimeField(_("kirim berikutnya"), default=timezone.now)
    last_error = models.TextField(_("galat terakhir"), blank=True, default="")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    started_at = models.DateTimeField(_("mulai dikerjakan"), null=True, blank=True)
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # The request that asked for it: its id reaches the task's logs even when the drain sends it.
    request_id = models.CharField(_("ID permintaan"), max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("pesan tugas (outbox)")
        verbose_name_plural = _("pesan tugas (outbox)")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="core_outbox_status")]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_status_display()}"
