import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rutan.core import exports
from rutan.core.forms import add_service_errors
from rutan.core.roles import Perm
from rutan.core.scoping import user_can
from rutan.core.views import audit_detail, audit_file
from rutan.facilities.selectors import facility_list
from rutan.inmates import selectors as inmate_selectors

from . import selectors, services
from .forms import AgreementFilterForm, GuaranteeForm, PartnerFilterForm
from .models import GuarantorKind

PAGE_SIZE = 25
EXPIRY_WINDOW_DAYS = 60

PARTNER_COLUMNS = [
    exports.Column(gettext_lazy("Nama"), lambda p: p.name),
    exports.Column(gettext_lazy("Jenis mitra"), lambda p: p.get_partner_type_display()),
    exports.Column(gettext_lazy("Kota/kabupaten"), lambda p: p.city),
    exports.Column(gettext_lazy("UPT"), lambda p: p.facility.name),
    exports.Column(gettext_lazy("Telepon"), lambda p: p.phone),
    exports.Column(gettext_lazy("E-mail"), lambda p: p.email),
    exports.Column(gettext_lazy("Perjanjian berlaku"), lambda p: p.active_agreements),
    exports.Column(gettext_lazy("Aktif"), lambda p: p.is_active),
]
AGREEMENT_COLUMNS = [
    exports.Column(gettext_lazy("Jenis"), lambda a: a.get_kind_display()),
    exports.Column(gettext_lazy("Nomor"), lambda a: a.number),
    exports.Column(gettext_lazy("Judul"), lambda a: a.title),
    exports.Column(gettext_lazy("Mitra"), lambda a: a.partner.name),
    exports.Column(gettext_lazy("UPT"), lambda a: a.facility.name),
    exports.Column(gettext_lazy("Tanggal penandatanganan"), lambda a: a.signed_on),
    exports.Column(gettext_lazy("Berlaku mulai"), lambda a: a.valid_from),
    exports.Column(gettext_lazy("Berlaku sampai"), lambda a: a.valid_to),
    exports.Column(gettext_lazy("Status"), lambda a: a.get_status_display()),
]


@login_required
def partner_list(request):
    facilities = facility_list(user=request.user, perm=Perm.PARTNER_VIEW)
    if not facilities:
        raise Http404
    form = PartnerFilterForm(request.GET or None, facilities=facilities)
    filters = form.cleaned_data if form.is_valid() else {}
    partners = selectors.partner_list(user=request.user, filters=filters)
    download = exports.list_export(
        request,
        form=form,
        filters=filters,
        facilities=facilities,
        queryset=partners,
        columns=PARTNER_COLUMNS,
        name="mitra",
        title=_("Mitra"),
    )
    if download is not None:
        return download
    page_obj = Paginator(partners, PAGE_SIZE)
    return render(
        request,
        "partners/partner_list.html",
        {
            "form": form,
            "page_obj": page_obj.get_page(request.GET.get("page")),
            "query": exports.page_query(request),
            "show_facility": len(facilities) > 1,
            "expiring": selectors.agreements_expiring(
                user=request.user, within_days=EXPIRY_WINDOW_DAYS
            ),
            "expiry_window": EXPIRY_WINDOW_DAYS,
            "can_manage": user_can(request.user, Perm.PARTNER_MANAGE),
            "can_import": [f for f in facilities if user_can(request.user, Perm.PARTNER_MANAGE, f)],
        },
    )


@login_required
def agreement_list(request):
    facilities = facility_list(user=request.user, perm=Perm.PARTNER_VIEW)
    if not facilities:
        raise Http404
    form = AgreementFilterForm(request.GET or None, facilities=facilities)
    filters = form.cleaned_data if form.is_valid() else {}
    agreements = selectors.agreement_list(user=request.user, filters=filters)
    download = exports.list_export(
        request,
        form=form,
        filters=filters,
        facilities=facilities,
        queryset=agreements,
        columns=AGREEMENT_COLUMNS,
        name="perjanjian",
        title=_("Perjanjian kerja sama"),
    )
    if download is not None:
        return download
    page_obj = Paginator(agreements, PAGE_SIZE)
    return render(
        request,
        "partners/agreement_list.html",
        {
            "form": form,
            "page_obj": page_obj.get_page(request.GET.get("page")),
            "query": exports.page_query(request),
            "show_facility": len(facilities) > 1,
        },
    )


@login_required
def partner_detail(request, pk):
    partner = selectors.partner_get(user=request.user, pk=pk)
    agreements = selectors.agreement_list(user=request.user, filters={"partner": partner.pk})
    audit_detail(request, partner)  # its contacts are people
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "agreements": agreements,
            "can_manage": user_can(request.user, Perm.PARTNER_MANAGE, partner.facility),
        },
    )


@login_required
def agreement_detail(request, pk):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    contributions = selectors.agreement_contributions(agreement=agreement)
    signatories = list(agreement.signatories.all())
    programmes = getattr(agreement, "programmes", None)
    return render(
        request,
        "partners/agreement_detail.html",
        {
            "agreement": agreement,
            "signers": [s for s in signatories if s.role == "signatory"],
            "witnesses": [s for s in signatories if s.role == "witness"],
            "contributions": contributions,
            "totals": selectors.contribution_totals(contributions=contributions),
            "programmes": programmes.all() if programmes is not None else None,
            "can_manage": user_can(request.user, Perm.PARTNER_MANAGE, agreement.facility),
        },
    )


def _pdf_response(request, instance, field, name: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "dokumen"
    response = FileResponse(
        handle, as_attachment=True, filename=f"{safe}.pdf", content_type="application/pdf"
    )
    audit_file(request, instance, file=f"{safe}.pdf")
    return response


@login_required
def agreement_document(request, pk):
    """The signed agreement, only for users who may see the agreement (else 404)."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    return _pdf_response(
        request, agreement, agreement.document, f"{agreement.kind}-{agreement.number}"
    )


@login_required
def guarantee_letter(request, pk):
    """A guarantee letter: it names an inmate, so it needs the inmate scope and partner view."""
    guarantee = selectors.guarantee_get(user=request.user, pk=pk)
    if not user_can(request.user, Perm.PARTNER_VIEW, guarantee.inmate.facility):
        raise Http404
    return _pdf_response(request, guarantee, guarantee.letter, f"jaminan-{guarantee.letter_number}")


@login_required
@require_http_methods(["GET", "POST"])
def guarantee_create(request, inmate_pk):
    """Record a guarantor of one inmate: family, another person or a partner organisation."""
    inmate = inmate_selectors.inmate_get(user=request.user, pk=inmate_pk, perm=Perm.PARTNER_MANAGE)
    partners = selectors.partner_list(
        user=request.user, filters={"facility": inmate.facility_id, "active": "1"}
    )
    form = GuaranteeForm(request.POST or None, request.FILES or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("guarantor_kind")
        partner = data.pop("partner") if kind == GuarantorKind.MITRA else None
        data.pop("partner", None)
        letter = data.pop("letter")
        try:
            guarantee = services.guarantee_create(
                inmate=inmate,
                by=request.user,
                guarantor_kind=kind,
                partner=partner,
                letter=letter,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Penjamin %(who)s tercatat untuk %(inmate)s.")
                % {"who": guarantee.guarantor_name, "inmate": inmate.name},
            )
            return redirect("inmates:detail", inmate.pk)
    return render(
        request,
        "partners/guarantee_form.html",
        {"form": form, "inmate": inmate, "title": _("Catat penjamin")},
    )
