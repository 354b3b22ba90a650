from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from rutan.core.admin import ScopedAdminMixin
from rutan.core.roles import Perm
from rutan.core.scoping import user_can
from rutan.facilities.selectors import on_local_today
from rutan.inmates.models import Inmate

from . import services
from .models import (
    Agreement,
    AgreementStatus,
    Contribution,
    Guarantee,
    GuaranteeStatus,
    Partner,
    PartnerContact,
    ScopeItem,
    Signatory,
    expiring_q,
)
from .resources import IMPORT_FORMATS, AgreementResource, ImportFileError
from .validators import normalise_nik, validate_pdf

ENDED = (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED)


class ExpiringFilter(admin.SimpleListFilter):
    title = _("berakhir dalam")
    parameter_name = "berakhir"

    def lookups(self, request, model_admin):
        return [(str(d), _("%(d)s hari") % {"d": d}) for d in (30, 60, 90)]

    def queryset(self, request, queryset):
        if self.value() in ("30", "60", "90"):
            within = int(self.value())
            return queryset.filter(
                on_local_today("facility", lambda today: expiring_q(today, within))
            )
        return queryset


class PartInline(admin.TabularInline):
    """An inline part of a partner or agreement, saved through `services.part_save`."""

    extra = 0
    frozen_when_ended = True

    def _facility(self, obj):
        return getattr(obj, "facility", None)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and user_can(request.user, Perm.PARTNER_VIEW)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return user_can(request.user, Perm.PARTNER_MANAGE)
        if self.frozen_when_ended and getattr(obj, "status", None) in ENDED:
            return False
        return user_can(request.user, Perm.PARTNER_MANAGE, self._facility(obj))

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "tabular" not in self.template:
            return formset

        class LabelledFormSet(formset):
            # A table row has no <label>s: name each input after its column heading.
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    if not field.widget.is_hidden:
                        field.widget.attrs.setdefault("aria-label", capfirst(field.label))

        return LabelledFormSet


class PartnerContactInline(PartInline):
    model = PartnerContact
    fields = ["name", "role", "phone", "email"]


class ScopeItemInline(PartInline):
    model = ScopeItem
    fields = ["position", "description", "owner", "due_on", "done_on"]
    formfield_overrides = {
        ScopeItem._meta.get_field("description").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 40})
        }
    }


class SignatoryInline(PartInline):
    model = Signatory
    fields = ["role", "side", "name", "title", "position"]


CONTRIBUTION_FIELDS = [
    "given_on",
    "kind",
    "description",
    "quantity",
    "unit",
    "hours",
    "value_idr",
    "state_budget_idr",
]


class ContributionInline(PartInline):
    """Stacked, a few fields a line: eight columns in a table overflow a 1366 px screen."""

    model = Contribution
    frozen_when_ended = False
    template = "admin/edit_inline/stacked.html"
    fields = [
        ("given_on", "kind"),
        "description",
        ("quantity", "unit", "hours"),
        ("value_idr", "state_budget_idr"),
    ]


def _programme_inline():
    """Programmes run under the agreement, once programmes.Programme has `agreement`."""
    try:
        programme = apps.get_model("programmes", "Programme")
        programme._meta.get_field("agreement")
    except (LookupError, FieldDoesNotExist):
        return None
    shown = [
        f
        for f in ("title", "pillar", "start_date", "end_date", "status")
        if any(field.name == f for field in programme._meta.fields)
    ]

    class ProgrammeInline(admin.TabularInline):
        model = programme
        fk_name = "agreement"
        extra = 0
        fields = shown or ["__str__"]
        readonly_fields = fields
        show_change_link = True
        verbose_name_plural = _("program yang berjalan di bawah perjanjian ini")

        def has_add_permission(self, request, obj=None):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def has_delete_permission(self, request, obj=None):
            return False

        def has_view_permission(self, request, obj=None):
            return request.user.is_staff

    return ProgrammeInline


def save_parts(request, formset):
    """Write an inline formset through the services (audit, permission, frozen rules)."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        services.part_delete(instance=obj, by=request.user)
    for obj in instances:
        services.part_save(instance=obj, by=request.user)


@admin.register(Partner)
class PartnerAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    view_perm = Perm.PARTNER_VIEW
    manage_perm = Perm.PARTNER_MANAGE
    list_display = ["name", "partner_type", "city", "facility", "is_active"]
    list_filter = ["partner_type", "is_active", ("facility", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "city", "contacts__name"]
    list_select_related = ["facility"]
    inlines = [PartnerContactInline]
    fields = [
        "facility",
        "name",
        "partner_type",
        "address",
        "city",
        "phone",
        "email",
        "website",
        "notes",
        "is_active",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["facility"] if obj else []

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.PARTNER_FIELDS if f in form.cleaned_data}
        if change:
            saved = services.partner_update(partner=obj, by=request.user, **data)
        else:
            saved = services.partner_create(facility=obj.facility, by=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        save_parts(request, formset)


class AgreementAdminForm(forms.ModelForm):
    upload_document = forms.FileField(
        label=_("unggah dokumen bertanda tangan (PDF)"),
        required=False,
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("Hanya PDF; isi berkas diperiksa, bukan namanya."),
    )

    class Meta:
        model = Agreement
        fields = [
            "facility",
            "partner",
            "kind",
            "number",
            "partner_number",
            "title",
            "purpose",
            "signed_on",
            "signed_at_place",
            "valid_from",
            "valid_to",
        ]

    def clean(self):
        data = super().clean()
        facility = data.get("facility") or getattr(self.instance, "facility", None)
        partner = data.get("partner")
        if facility and partner and partner.facility_id != facility.pk:
            self.add_error("partner", gettext("Mitra ini tidak terdaftar di UPT tersebut."))
        return data


class AgreementImportForm(ImportForm):
    """The library's import form with Indonesian labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("berkas yang diimpor")
        self.fields["format"].label = _("format")
        self.fields["resource"].label = _("jenis data")


@admin.register(Agreement)
class AgreementAdmin(ImportExportMixin, ExportActionMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    view_perm = Perm.PARTNER_VIEW
    manage_perm = Perm.PARTNER_MANAGE
    scoped_fk_fields = ("facility", "partner")
    form = AgreementAdminForm
    resource_classes = [AgreementResource]
    import_formats = IMPORT_FORMATS
    export_formats = [base_formats.CSV, base_formats.XLSX]
    import_form_class = AgreementImportForm
    import_template_name = "admin/partners/agreement/import.html"
    import_export_change_list_template = "admin/partners/agreement/change_list.html"
    change_form_template = "admin/partners/agreement/change_form.html"

    class Media:
        css = {"all": ["partners/admin.css"]}

    # Kept narrow: at 1366 px with the admin sidebar open the list must not scroll sideways
    # (foreign keys and dates are `nowrap` in the admin, so they are shown through methods).
    list_display = [
        "number",
        "partner_name",
        "kind_short",
        "status_badge",
        "ends",
        "has_document",
    ]
    list_filter = [
        "status",
        "kind",
        "partner__partner_type",
        ExpiringFilter,
        ("facility", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "number",
        "partner_number",
        "title",
        "partner__name",
        "scope_items__description",
    ]
    list_select_related = ["partner", "facility", "renewal"]
    date_hierarchy = "valid_to"
    actions = ["activate", "terminate", "renew"]
    readonly_fields = [
        "status",
        "activated_on",
        "ended_on",
        "termination_reason",
        "document_link",
        "renewal_links",
    ]
    fieldsets = [
        (
            _("Perjanjian"),
            {
                "fields": [
                    "facility",
                    "partner",
                    "kind",
                    ("number", "partner_number"),
                    "title",
                    "purpose",
                ]
            },
        ),
        (
            _("Penandatanganan dan masa berlaku"),
            {"fields": [("signed_on", "signed_at_place"), ("valid_from", "valid_to")]},
        ),
        (_("Dokumen"), {"fields": ["document_link", "upload_document"]}),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    ("activated_on", "ended_on"),
                    "termination_reason",
                    "renewal_links",
                ]
            },
        ),
    ]

    def get_inlines(self, request, obj):
        inlines = [ScopeItemInline, SignatoryInline, ContributionInline]
        if obj is not None and (programmes := _programme_inline()):
            inlines.append(programmes)
        return inlines

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields.append("facility")
            if obj.status != AgreementStatus.DRAFT:
                fields.append("partner")
        return fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "facility")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status in ENDED:
            return False
        return super().has_change_permission(request, obj)

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    # Import pages in Indonesian; a file that fails, even at the confirm step, changes nothing.

    def import_action(self, request, **kwargs):
        return self._import_page(super().import_action(request, **kwargs))

    def process_import(self, request, **kwargs):
        return self._import_page(super().process_import(request, **kwargs))

    def _import_page(self, response):
        if isinstance(response, TemplateResponse):
            response.context_data["title"] = gettext("Impor perjanjian")
            response.context_data["import_columns"] = AgreementResource.import_columns()
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                gettext("Berkas tidak dapat dibaca. Pastikan formatnya sesuai (CSV atau XLSX)."),
            )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rolled back by the resource; show why instead of claiming success.
            form_class = self.get_import_form_class(request)
            form = form_class(self.get_import_formats(), self.get_import_resource_classes(request))
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "result": result,
                "form": form,
            }
            return self._import_page(
                TemplateResponse(request, [self.import_template_name], context)
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            gettext(
                "Impor selesai: %(new)d perjanjian baru, %(updated)d diperbarui, "
                "%(skipped)d tidak berubah."
            )
            % {"new": totals["new"], "updated": totals["update"], "skipped": totals["skip"]},
            messages.SUCCESS,
        )

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    @admin.display(description=_("jenis"), ordering="kind")
    def kind_short(self, obj):
        return obj.kind.upper()

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="partners-status partners-status--{}">{}</span>',
            obj.status_code,
            obj.status_label,
        )

    @admin.display(description=_("mitra"), ordering="partner__name")
    def partner_name(self, obj):
        return obj.partner.name

    @admin.display(description=_("berakhir"), ordering="valid_to")
    def ends(self, obj):
        date = obj.valid_to.strftime("%d-%m-%Y")
        if obj.status != AgreementStatus.ACTIVE:
            return date
        left = obj.days_left(obj.facility.today())
        return format_html(
            '{}<br><span class="partners-days-left{}">{}</span>',
            date,
            " partners-days-left--soon" if left <= 60 else "",
            ngettext("sisa %(days)d hari", "sisa %(days)d hari", left) % {"days": left},
        )

    @admin.display(description=_("PDF"), boolean=True)
    def has_document(self, obj):
        return bool(obj.document)

    @admin.display(description=_("dokumen tersimpan"))
    def document_link(self, obj):
        if not obj or not obj.document:
            return gettext("Belum ada dokumen.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("partners:agreement_document", args=[obj.pk]),
            gettext("Unduh PDF"),
        )

    @admin.display(description=_("perpanjangan"))
    def renewal_links(self, obj):
        parts = []
        for label, other in (
            (gettext("Memperpanjang"), obj.renewed_from if obj else None),
            (gettext("Diperpanjang oleh"), getattr(obj, "renewal", None) if obj else None),
        ):
            if other is not None:
                url = reverse("admin:partners_agreement_change", args=[other.pk])
                parts.append(format_html('{}: <a href="{}">{}</a>', label, url, other.number))
        return format_html("<br>".join(["{}"] * len(parts)), *parts) if parts else "—"

    def save_model(self, request, obj, form, change):
        data = {
            f: form.cleaned_data[f] for f in services.AGREEMENT_FIELDS if f in form.cleaned_data
        }
        document = form.cleaned_data.get("upload_document")
        if change:
            saved = services.agreement_update(
                agreement=obj, by=request.user, partner=form.cleaned_data.get("partner"), **data
            )
        else:
            saved = services.agreement_create(
                facility=obj.facility, partner=obj.partner, by=request.user, **data
            )
        if document:
            saved = services.agreement_attach_document(
                agreement=saved, document=document, by=request.user
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        save_parts(request, formset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        can_renew = obj is not None and user_can(request.user, Perm.PARTNER_MANAGE, obj.facility)
        extra_context = {**(extra_context or {}), "can_renew": can_renew}
        return super().change_view(request, object_id, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # A rule only the service knows (e.g. an active agreement ending in the past).
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return redirect(request.get_full_path())

    # Status changes: list actions and buttons on the change form, all through services.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        views = [
            ("berlakukan", self.activate_view, "activate"),
            ("putus", self.terminate_view, "terminate"),
            ("perpanjang", self.renew_view, "renew"),
        ]
        return [
            path(f"<path:object_id>/{slug}/", wrap(view), name=f"{prefix}_{name}")
            for slug, view, name in views
        ] + super().get_urls()

    def _manageable(self, request, object_id) -> Agreement:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not user_can(request.user, Perm.PARTNER_MANAGE, obj.facility):
            raise Http404
        return obj

    def _run(self, request, agreement, func, done):
        try:
            result = func()
        except ValidationError as exc:
            self.message_user(
                request, f"{agreement.number}: {' '.join(exc.messages)}", messages.ERROR
            )
            return None
        self.message_user(request, done % {"number": result.number}, messages.SUCCESS)
        return result

    def activate_view(self, request, object_id):
        agreement = self._manageable(request, object_id)
        if request.method == "POST":
            self._run(
                request,
                agreement,
                lambda: services.agreement_activate(agreement=agreement, by=request.user),
                gettext("Perjanjian %(number)s diberlakukan."),
            )
        return redirect("admin:partners_agreement_change", agreement.pk)

    def renew_view(self, request, object_id):
        agreement = self._manageable(request, object_id)
        if request.method == "POST":
            new = self._run(
                request,
                agreement,
                lambda: services.agreement_renew(agreement=agreement, by=request.user),
                gettext(
                    "Draf perpanjangan %(number)s dibuat. Periksa nomor dan tanggalnya, "
                    "unggah dokumen bertanda tangan, lalu berlakukan."
                ),
            )
            if new is not None:
                return redirect("admin:partners_agreement_change", new.pk)
        return redirect("admin:partners_agreement_change", agreement.pk)

    def terminate_view(self, request, object_id):
        agreement = self._manageable(request, object_id)
        return self._terminate_form(request, [agreement])

    def _terminate_form(self, request, agreements):
        form = TerminateForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for agreement in agreements:
                self._run(
                    request,
                    agreement,
                    lambda a=agreement: services.agreement_terminate(
                        agreement=a, reason=form.cleaned_data["reason"], by=request.user
                    ),
                    gettext("Perjanjian %(number)s diputus."),
                )
            if len(agreements) == 1:
                return redirect("admin:partners_agreement_change", agreements[0].pk)
            return redirect("admin:partners_agreement_changelist")
        return TemplateResponse(
            request,
            "admin/partners/agreement/terminate.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Putus perjanjian"),
                "agreements": agreements,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Berlakukan perjanjian terpilih"))
    def activate(self, request, queryset):
        for agreement in queryset:
            self._run(
                request,
                agreement,
                lambda a=agreement: services.agreement_activate(agreement=a, by=request.user),
                gettext("Perjanjian %(number)s diberlakukan."),
            )

    @admin.action(description=_("Putus perjanjian terpilih (dengan alasan)"))
    def terminate(self, request, queryset):
        return self._terminate_form(request, list(queryset))

    @admin.action(description=_("Perpanjang perjanjian terpilih (buat draf baru)"))
    def renew(self, request, queryset):
        created = [
            new
            for agreement in queryset
            if (
                new := self._run(
                    request,
                    agreement,
                    lambda a=agreement: services.agreement_renew(agreement=a, by=request.user),
                    gettext("Draf perpanjangan %(number)s dibuat."),
                )
            )
        ]
        if len(created) == 1:
            return redirect("admin:partners_agreement_change", created[0].pk)
        return None

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not user_can(request.user, Perm.PARTNER_MANAGE):
            for name in ("activate", "terminate", "renew"):
                actions.pop(name, None)
        return actions


class TerminateForm(forms.Form):
    reason = forms.CharField(
        label=_("alasan pemutusan"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Tuliskan alasan pemutusan.")},
    )


@admin.register(Contribution)
class ContributionAdmin(ExportActionMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.PARTNER_VIEW
    manage_perm = Perm.PARTNER_MANAGE
    scoped_fk_fields = ("agreement",)
    export_formats = [base_formats.CSV, base_formats.XLSX]
    list_display = [
        "given_on",
        "agreement",
        "kind",
        "description",
        "hours",
        "value_idr",
        "state_budget_idr",
    ]
    list_filter = ["kind", "agreement__partner__partner_type"]
    search_fields = ["description", "agreement__number", "agreement__partner__name"]
    list_select_related = ["agreement", "agreement__partner"]
    date_hierarchy = "given_on"
    fields = CONTRIBUTION_FIELDS[:1] + ["agreement"] + CONTRIBUTION_FIELDS[1:]

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return user_can(request.user, self.manage_perm, obj.agreement.facility)
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.part_save(instance=obj, by=request.user)


GUARANTEE_FORM_FIELDS = [
    "guarantor_kind",
    "partner",
    "agreement",
    "name",
    "relationship",
    "nik",
    "address",
    "phone",
    "letter_number",
    "valid_from",
    "valid_until",
]


class GuaranteeAdminForm(forms.ModelForm):
    upload_letter = forms.FileField(
        label=_("unggah surat jaminan (PDF)"),
        required=False,
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Guarantee
        fields = ["inmate", *GUARANTEE_FORM_FIELDS]

    def clean_nik(self):
        return normalise_nik(self.cleaned_data.get("nik"))

    def clean(self):
        data = super().clean()
        inmate, partner = data.get("inmate"), data.get("partner")
        if inmate and partner and partner.facility_id != inmate.facility_id:
            self.add_error("partner", gettext("Penjamin harus mitra UPT tempat WBP ini dibina."))
        return data


@admin.register(Guarantee)
class GuaranteeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    view_perm = Perm.INMATE_VIEW
    manage_perm = Perm.PARTNER_MANAGE
    scoped_fk_fields = ("inmate", "partner", "agreement")
    form = GuaranteeAdminForm
    change_form_template = "admin/partners/guarantee/change_form.html"
    # Methods, not the foreign keys and dates themselves (the admin keeps those on one line):
    # the list fits 1366 px with the sidebar open, and becomes cards on a phone.
    list_display = [
        "inmate_name",
        "partner_name",
        "guarantor_kind",
        "letter_number",
        "period",
        "status_badge",
    ]
    list_filter = ["status", "guarantor_kind"]
    search_fields = ["inmate__name", "inmate__registration_number", "partner__name", "name"]
    list_select_related = ["inmate", "inmate__facility", "partner"]
    date_hierarchy = "valid_from"
    actions = ["revoke"]
    readonly_fields = ["status", "revoked_reason", "letter_link", "nik_masked_display"]
    fields = [
        "inmate",
        "guarantor_kind",
        "partner",
        "agreement",
        "name",
        "relationship",
        "nik",
        "address",
        "phone",
        "letter_number",
        ("valid_from", "valid_until"),
        "letter_link",
        "upload_letter",
        "status",
        "revoked_reason",
    ]

    class Media:
        css = {"all": ["partners/admin.css"]}

    @admin.display(description=_("WBP"), ordering="inmate__name")
    def inmate_name(self, obj):
        return str(obj.inmate)

    @admin.display(description=_("penjamin"), ordering="name")
    def partner_name(self, obj):
        return obj.guarantor_name

    # The NIK is personal data: outside the inmate's page it is shown masked.
    @admin.display(description=_("NIK penjamin"))
    def nik_masked_display(self, obj):
        return obj.nik_masked or "—"

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return fields
        return ["nik_masked_display" if f == "nik" else f for f in fields]

    @admin.display(description=_("masa berlaku"), ordering="valid_from")
    def period(self, obj):
        start = obj.valid_from.strftime("%d-%m-%Y")
        if obj.valid_until is None:
            return gettext("sejak %(start)s") % {"start": start}
        return f"{start} – {obj.valid_until:%d-%m-%Y}"

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="partners-status partners-status--{}">{}</span>',
            obj.status,
            obj.get_status_display(),
        )

    def has_module_permission(self, request):
        return super().has_module_permission(request) and user_can(request.user, Perm.PARTNER_VIEW)

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return obj.status == GuaranteeStatus.ACTIVE and user_can(
                request.user, self.manage_perm, obj.inmate.facility
            )
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        extra = [
            "inmate",
            "guarantor_kind",
            "partner",
            "agreement",
            "name",
            "relationship",
            "address",
            "phone",
            "valid_from",
            "valid_until",
            "letter_number",
        ]
        return self.readonly_fields + (extra if obj else [])

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "inmate":
            field.queryset = Inmate.objects.for_user(request.user, Perm.PARTNER_MANAGE).filter(
                status="active"
            )
        return field

    @admin.display(description=_("surat tersimpan"))
    def letter_link(self, obj):
        if not obj or not obj.letter:
            return gettext("Belum ada surat.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("partners:guarantee_letter", args=[obj.pk]),
            gettext("Unduh PDF"),
        )

    def save_model(self, request, obj, form, change):
        letter = form.cleaned_data.get("upload_letter")
        if change:
            saved = obj
            if letter:
                saved = services.guarantee_attach_letter(
                    guarantee=obj, letter=letter, by=request.user
                )
        else:
            data = form.cleaned_data
            saved = services.guarantee_create(
                inmate=data["inmate"],
                by=request.user,
                letter=letter,
                **{name: data.get(name) for name in GUARANTEE_FORM_FIELDS},
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return redirect(request.get_full_path())

    # Revoking: a button on the change form and a list action, both asking for the reason
    # on an intermediate page and writing through `services.guarantee_revoke`.

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_revoke"
        return [
            path(
                "<path:object_id>/cabut/",
                self.admin_site.admin_view(self.revoke_view),
                name=name,
            )
        ] + super().get_urls()

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not user_can(request.user, Perm.PARTNER_MANAGE):
            actions.pop("revoke", None)
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        can_revoke = (
            obj is not None
            and obj.status == GuaranteeStatus.ACTIVE
            and user_can(request.user, Perm.PARTNER_MANAGE, obj.inmate.facility)
        )
        extra_context = {**(extra_context or {}), "can_revoke": can_revoke}
        return super().change_view(request, object_id, form_url, extra_context)

    def revoke_view(self, request, object_id):
        guarantee = self.get_object(request, unquote(object_id))
        if guarantee is None or not user_can(
            request.user, Perm.PARTNER_MANAGE, guarantee.inmate.facility
        ):
            raise Http404
        return self._revoke_form(request, [guarantee])

    @admin.action(description=_("Cabut jaminan terpilih (dengan alasan)"))
    def revoke(self, request, queryset):
        return self._revoke_form(request, list(queryset.select_related("inmate", "partner")))

    def _revoke_form(self, request, guarantees):
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for guarantee in guarantees:
                try:
                    services.guarantee_revoke(
                        guarantee=guarantee, reason=form.cleaned_data["reason"], by=request.user
                    )
                except ValidationError as exc:
                    self.message_user(
                        request,
                        f"{guarantee.letter_number}: {' '.join(exc.messages)}",
                        messages.ERROR,
                    )
                else:
                    self.message_user(
                        request,
                        gettext("Jaminan %(number)s untuk %(inmate)s dicabut.")
                        % {"number": guarantee.letter_number, "inmate": guarantee.inmate},
                        messages.SUCCESS,
                    )
            if len(guarantees) == 1:
                return redirect("admin:partners_guarantee_change", guarantees[0].pk)
            return redirect("admin:partners_guarantee_changelist")
        return TemplateResponse(
            request,
            "admin/partners/guarantee/revoke.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Cabut jaminan integrasi"),
                "guarantees": guarantees,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("alasan pencabutan"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Tuliskan alasan pencabutan.")},
    )
