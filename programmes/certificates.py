"""The printable certificate: an A4 landscape PDF with a QR code to the public check page."""

import segno
from django.template.loader import render_to_string

from rutan.core.pdf import html_to_pdf

from .models import Certificate


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def certificate_pdf(*, certificate: Certificate, verify_url: str) -> bytes:
    """Render the certificate as PDF bytes; `verify_url` is the absolute public page URL."""
    enrolment = certificate.enrolment
    html = render_to_string(
        "programmes/certificate_pdf.html",
        {
            "certificate": certificate,
            "inmate": enrolment.inmate,
            "programme": enrolment.programme,
            "facility": certificate.facility,
            "verify_url": verify_url,
            "qr": qr_data_uri(verify_url),
            # "Ketua" names the partner below it; "Kepala UPTD SKB Randong" already does.
            "partner_org": ""
            if certificate.partner_name in certificate.partner_signatory_title
            else certificate.partner_name,
        },
    )
    return html_to_pdf(html)
