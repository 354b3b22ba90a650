"""What the intern member import holds: one participant of a batch per row. A new participant
is added by `intern_create`, exactly as on the "Tambah peserta" page: their account gets no
password, and the link to set one is e-mailed only once the import is written (the service
sends it on commit, so a preview, which is rolled back, sends nothing). A known participant's
campus, study programme, unit and mentor are changed by `intern_update`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rutan.core.roles import Perm
from rutan.imports.engine import Column, ImportKind, RowError, kind_register, norm

from . import selectors, services
from .forms import InternCreateForm
from .models import Batch, Intern

COLUMNS = [
    Column(
        "batch",
        gettext_lazy("Angkatan"),
        required=True,
        help=gettext_lazy("Nama angkatan magang yang sudah ada di UPT ini."),
    ),
    Column(
        "username",
        gettext_lazy("Nama pengguna"),
        required=True,
        help=gettext_lazy("Huruf kecil, angka, tanda - atau _; dipakai untuk masuk."),
    ),
    Column("full_name", gettext_lazy("Nama lengkap"), required=True),
    Column(
        "email",
        gettext_lazy("E-mail"),
        required=True,
        help=gettext_lazy("Tautan untuk membuat kata sandi dikirim ke alamat ini."),
    ),
    Column("campus", gettext_lazy("Perguruan tinggi"), required=True),
    Column("study_programme", gettext_lazy("Program studi"), required=True),
    Column("unit", gettext_lazy("Unit penempatan")),
    Column("mentor", gettext_lazy("Mentor"), help=gettext_lazy("Nama pengguna mentor di UPT ini.")),
]
# The columns the "Tambah peserta" form checks, with that form's own fields.
FORM_COLUMNS = ["username", "full_name", "email", "campus", "study_programme", "unit"]
PROFILE_COLUMNS = ["campus", "study_programme", "unit", "mentor"]


def _cleaned(values: dict) -> dict:
    data, errors = dict(values), {}
    for name in FORM_COLUMNS:
        if name in values:
            try:
                data[name] = InternCreateForm.base_fields[name].clean(values[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return data


def _one(found: dict, text: str, column: str, message: str):
    matches = found.get(norm(text), [])
    if len(matches) != 1:
        raise RowError({column: message % {"value": text}})
    return matches[0]


@kind_register
class InternMemberImport(ImportKind):
    name = "intern_members"
    label = gettext_lazy("Peserta magang")
    description = gettext_lazy(
        "Satu peserta angkatan magang per baris. Peserta baru mendapat akun tanpa kata sandi "
        "dan tautan pembuatan kata sandi dikirim ke e-mailnya setelah impor disimpan. Nama "
        "pengguna yang sudah terdaftar memperbarui perguruan tinggi, program studi, unit dan "
        "mentornya."
    )
    perm = Perm.INTERN_MANAGE
    columns = COLUMNS
    key = ("username",)
    summary = ("batch", "username", "full_name")
    list_url_name = "interns:intern_list"

    def prepare(self, facility, by) -> dict:
        batches: dict[str, list[Batch]] = {}
        for batch in Batch.objects.filter(facility=facility).select_related("facility"):
            batches.setdefault(norm(batch.name), []).append(batch)
        mentors: dict[str, list] = {}
        for user in selectors.mentor_candidates(facility=facility):
            mentors.setdefault(norm(user.username), []).append(user)
        interns = Intern.objects.filter(batch__facility=facility).select_related(
            "user", "batch", "mentor"
        )
        return {
            "by": by,
            "batches": batches,
            "mentors": mentors,
            "existing": {norm(i.user.username): i for i in interns},
            "seen": {},
        }

    def write_row(self, state: dict, values: dict) -> dict:
        key = norm(values["username"])
        first = state["seen"].setdefault(key, values["username"])
        if first != values["username"]:
            # The engine refuses identical names; this catches those differing in case.
            raise RowError(
                {
                    "username": _(
                        "Nama pengguna “%(value)s” sama dengan “%(first)s” di baris lain "
                        "berkas ini."
                    )
                    % {"value": values["username"], "first": first}
                }
            )
        values = _cleaned(values)
        values["batch"] = _one(
            state["batches"],
            values["batch"],
            "batch",
            _("Angkatan “%(value)s” tidak ada di UPT ini."),
        )
        if "mentor" in values:
            values["mentor"] = _one(
                state["mentors"],
                values["mentor"],
                "mentor",
                _("“%(value)s” bukan nama pengguna petugas dengan peran mentor di UPT ini."),
            )
        intern = state["existing"].get(key)
        if intern is not None:
            return self._update(state, intern, values)
        services.intern_create(
            batch=values["batch"],
            username=values["username"],
            full_name=values["full_name"],
            email=values["email"],
            campus=values["campus"],
            study_programme=values["study_programme"],
            unit=values.get("unit", ""),
            mentor=values.get("mentor"),
            by=state["by"],
            base_url=settings.SITE_URL,
        )
        return {"action": "create"}

    def _update(self, state: dict, intern: Intern, values: dict) -> dict:
        errors = {}
        if values["batch"].pk != intern.batch_id:
            errors["batch"] = _(
                "Peserta ini terdaftar di angkatan “%(batch)s”; impor tidak memindahkan peserta "
                "antarangkatan."
            ) % {"batch": intern.batch.name}
        # The account's name and e-mail are not changed by any staff page; say so, not ignore.
        if values["full_name"] != intern.user.full_name:
            errors["full_name"] = _(
                "Akun ini bernama “%(current)s”; nama akun tidak diubah lewat impor."
            ) % {"current": intern.user.full_name}
        if values["email"].casefold() != intern.user.email.casefold():
            errors["email"] = _(
                "Akun ini memakai e-mail “%(current)s”; e-mail akun tidak diubah lewat impor."
            ) % {"current": intern.user.email}
        if errors:
            raise RowError(errors)
        changes = {
            name: values[name]
            for name in PROFILE_COLUMNS
            if name in values and values[name] != getattr(intern, name)
        }
        if not changes:
            return {"action": "unchanged"}
        services.intern_update(intern=intern, by=state["by"], **changes)
        return {"action": "update", "changes": list(changes)}
