"""The certificate as a document for after release: no registration number, signed by the
Kepala (name and NIP as on the day of issue) and, under an agreement, by the partner."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partners import services as partner_services
from partners.models import Side, Signatory
from programmes import services
from programmes.models import Certificate
from tests.programmes.test_agreement import _agreement


@pytest.fixture
def completed(balikpapan, kepala, pembina, make_programme, make_inmate, today):
    kepala.full_name, kepala.nip = "Bambang Sutrisno", "197805122003121002"
    kepala.save()
    agreement = _agreement(balikpapan, kepala, "Yayasan SEKATA Balikpapan", "PKS-01/2026", today)
    partner_services.part_save(
        instance=Signatory(
            agreement=agreement, side=Side.PARTNER, name="Yohanes Pattiasina", title="Ketua"
        ),
        by=kepala,
    )
    programme = make_programme(balikpapan, title="Tata Rias")
    programme.agreement = agreement
    programme.save()
    inmate = make_inmate(balikpapan, name="Maria Goreti Jelahu", registration_number="BI.0042/2026")
    enrolment = services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    return services.enrolment_complete(
        enrolment=enrolment, on=enrolment.started_on, post_score=80, instrument="Uji", by=pembina
    )


def certificate_text(client, certificate) -> str:
    pdf = client.get(reverse("programmes:certificate_pdf", args=[certificate.pk]))
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def test_certificate_names_both_signatories_and_not_the_registration_number(
    client, completed, pembina, kepala
):
    certificate = services.certificate_issue(
        enrolment=completed, competence="Tata rias dasar", issuer="Yayasan SEKATA", by=pembina
    )
    assert (certificate.head_name, certificate.head_nip) == ("Bambang Sutrisno", kepala.nip)
    assert certificate.partner_signatory_name == "Yohanes Pattiasina"
    client.force_login(pembina)
    text = certificate_text(client, certificate)
    assert "Maria Goreti Jelahu" in text
    assert "BI.0042/2026" not in text and "BI.0042" not in text
    assert "Ketua Yayasan SEKATA Balikpapan Yohanes Pattiasina" in text
    assert "Kepala Rutan Kelas IIA Balikpapan Bambang Sutrisno NIP 19780512 200312 1 002" in text

    # A new Kepala later: the certificate printed again still names who signed it.
    kepala.full_name = "Kepala Baru"
    kepala.save()
    certificate.refresh_from_db()
    assert "Bambang Sutrisno" in certificate_text(client, certificate)


def test_certificate_without_a_partner_has_the_kepala_alone(
    client, completed, pembina, make_programme, balikpapan
):
    completed.programme.agreement = None
    completed.programme.save()
    certificate = services.certificate_issue(
        enrolment=completed, competence="Tata rias dasar", issuer="Rutan", by=pembina
    )
    assert certificate.partner_name == "" and certificate.partner_signatory_name == ""
    client.force_login(pembina)
    text = certificate_text(client, certificate)
    assert "Pimpinan" not in text and "Yohanes" not in text
    assert Certificate.objects.count() == 1
