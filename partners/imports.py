"""What the partner import holds: one partner organisation of the facility per row, with one
contact person when given. Rows are written by `partner_create`, `partner_update` and
`part_save`, so an imported partner is audited and kept in history like one typed in the
administration; each value is checked by the same form field the administration uses."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rutan.core.roles import Perm
from rutan.imports.engine import Column, ImportKind, RowError, kind_register, norm

from . import services
from .models import Partner, PartnerContact, PartnerType

COLUMNS = [
    # The labels are the partner list's download headers, so a downloaded list reads back.
    Column("name", gettext_lazy("Nama"), required=True),
    Column("partner_type", gettext_lazy("Jenis mitra"), "choice", True, PartnerType),
    Column("city", gettext_lazy("Kota/kabupaten")),
    Column("address", gettext_lazy("Alamat")),
    Column("phone", gettext_lazy("Telepon")),
    Column("email", gettext_lazy("E-mail")),
    Column("website", gettext_lazy("Situs web")),
    Column("notes", gettext_lazy("Catatan")),
    Column(
        "is_active",
        gettext_lazy("Aktif"),
        "bool",
        help=gettext_lazy("Ya atau tidak; kosong berarti aktif untuk mitra baru."),
    ),
    Column(
        "contact_name",
        gettext_lazy("Nama narahubung"),
        help=gettext_lazy("Narahubung dengan nama yang sama diperbarui, selain itu ditambahkan."),
    ),
    Column("contact_role", gettext_lazy("Jabatan narahubung")),
    Column("contact_phone", gettext_lazy("Telepon narahubung")),
    Column("contact_email", gettext_lazy("E-mail narahubung")),
]
PARTNER_COLUMNS = [c for c in services.PARTNER_FIELDS if c != "name"]
# Contact column → PartnerContact field.
CONTACT_FIELDS = {
    "contact_name": "name",
    "contact_role": "role",
    "contact_phone": "phone",
    "contact_email": "email",
}
TEXT_COLUMNS = ["name", "city", "address", "phone", "email", "website", "notes"]


def _form_fields() -> dict:
    """The administration's form field of each text column (same checks, same cleaning)."""
    fields = {name: Partner._meta.get_field(name).formfield() for name in TEXT_COLUMNS}
    for column, field in CONTACT_FIELDS.items():
        fields[column] = PartnerContact._meta.get_field(field).formfield()
    return fields


def _cleaned(fields: dict, values: dict) -> dict:
    data, errors = dict(values), {}
    for name, field in fields.items():
        if name in values:
            try:
                data[name] = field.clean(values[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return data


def _contact_saved(contact: PartnerContact, by) -> None:
    """`part_save`, with the contact's errors named after the contact columns."""
    try:
        services.part_save(instance=contact, by=by)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        by_field = {field: column for column, field in CONTACT_FIELDS.items()}
        raise ValidationError(
            {by_field.get(key, key): errors for key, errors in exc.error_dict.items()}
        ) from exc


@kind_register
class PartnerImport(ImportKind):
    name = "partners"
    label = gettext_lazy("Mitra")
    description = gettext_lazy(
        "Satu mitra UPT per baris, dengan satu narahubung bila diisi. Mitra yang namanya sudah "
        "terdaftar (tanpa membedakan huruf besar-kecil dan spasi) diperbarui; sel kosong tidak "
        "mengubah isian yang ada."
    )
    perm = Perm.PARTNER_MANAGE
    columns = COLUMNS
    key = ("name",)
    summary = ("name", "partner_type", "city")
    list_url_name = "partners:list"

    def prepare(self, facility, by) -> dict:
        existing: dict[str, list[Partner]] = {}
        partners = Partner.objects.filter(facility=facility).select_related("facility")
        for partner in partners.prefetch_related("contacts"):
            existing.setdefault(norm(partner.name), []).append(partner)
        return {
            "facility": facility,
            "by": by,
            "existing": existing,
            "fields": _form_fields(),
            "seen": {},
        }

    def write_row(self, state: dict, values: dict) -> dict:
        key = norm(values["name"])
        first = state["seen"].setdefault(key, values["name"])
        if first != values["name"]:
            # The engine refuses identical names; this catches those differing in case or spaces.
            raise RowError(
                {
                    "name": _("Mitra “%(value)s” sama dengan “%(first)s” di baris lain berkas ini.")
                    % {"value": values["name"], "first": first}
                }
            )
        values = _cleaned(state["fields"], values)
        matches = state["existing"].get(key, [])
        if len(matches) > 1:
            raise RowError(
                {
                    "name": _(
                        "Lebih dari satu mitra UPT ini bernama “%(value)s”; bedakan namanya di "
                        "administrasi lebih dulu."
                    )
                    % {"value": values["name"]}
                }
            )
        if not values.get("contact_name") and any(c in values for c in CONTACT_FIELDS):
            raise RowError(
                {"contact_name": _("Isi nama narahubung untuk jabatan, telepon atau e-mailnya.")}
            )
        if matches:
            return self._update(state, matches[0], values)
        return self._create(state, values)

    def _create(self, state: dict, values: dict) -> dict:
        data = {name: values[name] for name in services.PARTNER_FIELDS if name in values}
        partner = services.partner_create(facility=state["facility"], by=state["by"], **data)
        if values.get("contact_name"):
            contact = PartnerContact(partner=partner)
            for column, field in CONTACT_FIELDS.items():
                setattr(contact, field, values.get(column, ""))
            _contact_saved(contact, state["by"])
        return {"action": "create"}

    def _update(self, state: dict, partner: Partner, values: dict) -> dict:
        # The name is the key: a spelling that differs only in case or spaces renames nothing.
        changes = {
            name: values[name]
            for name in PARTNER_COLUMNS
            if name in values and values[name] != getattr(partner, name)
        }
        if changes:
            services.partner_update(partner=partner, by=state["by"], **changes)
        changed = list(changes)
        if values.get("contact_name"):
            changed += self._contact(state, partner, values)
        if not changed:
            return {"action": "unchanged"}
        return {"action": "update", "changes": changed}

    def _contact(self, state: dict, partner: Partner, values: dict) -> list[str]:
        name = values["contact_name"]
        contact = next((c for c in partner.contacts.all() if norm(c.name) == norm(name)), None)
        if contact is None:
            contact = PartnerContact(partner=partner, name=name)
            changed = [c for c in CONTACT_FIELDS if c in values]
        else:
            contact = PartnerContact.objects.select_related("partner__facility").get(pk=contact.pk)
            changed = [
                column
                for column, field in CONTACT_FIELDS.items()
                if column != "contact_name"
                and column in values
                and values[column] != getattr(contact, field)
            ]
            if not changed:
                return []
        for column in changed:
            setattr(contact, CONTACT_FIELDS[column], values[column])
        _contact_saved(contact, state["by"])
        return changed
