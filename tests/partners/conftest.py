import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partners import services
from partners.demo import demo_pdf
from partners.models import Side, Signatory

PDF_BYTES = demo_pdf("Perjanjian Kerja Sama")


def pdf_upload(name="pks.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def sekata(balikpapan, kepala):
    return services.partner_create(
        facility=balikpapan,
        by=kepala,
        name="Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan",
        partner_type="yayasan",
        city="Balikpapan",
    )


@pytest.fixture
def skb(ruteng, kepala_ruteng):
    return services.partner_create(
        facility=ruteng, by=kepala_ruteng, name="UPTD SKB Randong", partner_type="pemerintah"
    )


@pytest.fixture
def make_agreement(kepala):
    """A draft agreement (with one signatory per side) made through the services."""

    def make(partner, *, by=None, signatories=True, **overrides):
        by = by or kepala
        today = timezone.localdate()
        data = {
            "kind": "pks",
            "number": f"W18.PAS.PAS.1-HM.05.{Signatory.objects.count() + 1:02d}",
            "title": "Program Rehabilitasi Pemasyarakatan bagi Warga Binaan",
            "signed_on": today - datetime.timedelta(days=10),
            "valid_from": today - datetime.timedelta(days=10),
            "valid_to": today + datetime.timedelta(days=355),
        }
        data.update(overrides)
        agreement = services.agreement_create(
            facility=partner.facility, partner=partner, by=by, **data
        )
        if signatories:
            for side, name, title in [
                (Side.FACILITY, "Hendra Wirawan", "Kepala Rutan"),
                (Side.PARTNER, "Yohanes Pattiasina", "Ketua Yayasan"),
            ]:
                services.part_save(
                    instance=Signatory(agreement=agreement, side=side, name=name, title=title),
                    by=by,
                )
        return agreement

    return make


@pytest.fixture
def active_agreement(make_agreement, sekata, kepala):
    return services.agreement_activate(agreement=make_agreement(sekata), by=kepala)
