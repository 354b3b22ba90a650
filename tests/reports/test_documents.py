"""What a Kanwil files: the letterhead, the report's number, and who signs (name and NIP)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rutan.accounts.models import Membership
from rutan.core.roles import Role
from rutan.reports.models import ReportStatus
from tests.factories import member
from tests.reports.test_build import pdf_text, request


@pytest.fixture
def letterhead_places(balikpapan, kaltim):
    kaltim.province = "Kalimantan Timur"
    kaltim.city = "Samarinda"
    kaltim.save()
    balikpapan.city = "Balikpapan"
    balikpapan.address = "Jl. Jenderal Sudirman No. 533, Kota Balikpapan"
    balikpapan.save()
    return balikpapan, kaltim


def flat(text: str) -> str:
    return " ".join(text.split())


def test_facility_report_has_letterhead_number_and_the_kepala_with_nip(
    october, kepala, letterhead_places, django_capture_on_commit_callbacks
):
    kepala.full_name, kepala.nip = "Bambang Sutrisno", "197805122003121002"
    kepala.save()
    with django_capture_on_commit_callbacks(execute=True):
        run = request(october, by=kepala)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE, run.error
    text = flat(pdf_text(run))
    assert (
        "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA "
        "KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN KALIMANTAN TIMUR "
        "RUTAN KELAS IIA BALIKPAPAN Jl. Jenderal Sudirman No. 533, Kota Balikpapan"
    ) in text
    assert run.number == "LB/RUTAN-BALIKPAPAN/2026-10/V1"
    assert f"Nomor: {run.number}" in text
    # The number runs in every page's foot, and the pages are numbered "N dari M".
    assert text.count(run.number) >= 3 and "Halaman 2 dari" in text
    assert "Kepala Rutan Kelas IIA Balikpapan Bambang Sutrisno NIP 19780512 200312 1 002" in text


def test_facility_report_without_a_kepala_leaves_name_and_nip_to_be_written(
    october, registrasi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = request(october, by=registrasi)
    run.refresh_from_db()
    text = flat(pdf_text(run))
    assert "Kepala Rutan Kelas IIA Balikpapan ( ....." in text
    assert "NIP ....." in text


def test_regional_report_is_signed_by_the_kepala_kanwil(
    october, letterhead_places, django_capture_on_commit_callbacks
):
    _, kaltim = letterhead_places
    head = member(Role.REGIONAL_HEAD, regional_office=kaltim, username="kakanwil")
    head.full_name, head.nip = "Hendra Wicaksono", "19700301 199503 1 004"
    head.full_clean()
    head.save()
    assert head.nip == "197003011995031004"
    with django_capture_on_commit_callbacks(execute=True):
        run = request(kaltim)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE, run.error
    text = flat(pdf_text(run))
    assert (
        "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA "
        "DIREKTORAT JENDERAL PEMASYARAKATAN "
        "KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN KALIMANTAN TIMUR Samarinda"
    ) in text
    assert "Nomor: REKAP/KALTIM/2026-10/V1" in text
    assert (
        "Samarinda, " in text
        and "Kepala Kantor Wilayah Direktorat Jenderal Pemasyarakatan Kalimantan Timur "
        "Hendra Wicaksono NIP 19700301 199503 1 004"
        in text
    )


def test_a_kepala_kanwil_holds_a_regional_office_never_a_facility(balikpapan, kaltim):
    user = member(Role.REGISTRY_OFFICER, facility=balikpapan, username="x")
    wrong = Membership(user=user, role=Role.REGIONAL_HEAD, facility=balikpapan)
    with pytest.raises(ValidationError, match="Peran Kanwil memerlukan Kanwil"):
        wrong.full_clean()


@pytest.mark.parametrize("nip", ["1978051220031210", "19780512 200312 3 002", "NIP-19780512"])
def test_a_nip_that_is_not_18_digits_is_refused_with_an_example(kepala, nip):
    kepala.nip = nip
    with pytest.raises(ValidationError) as caught:
        kepala.full_clean()
    assert caught.value.message_dict["nip"] == [
        "NIP terdiri atas 18 angka, mis. 19800101 200501 1 001."
    ]


def test_report_page_gives_the_number_and_a_summary_with_the_technical_part_folded(
    client, october, kepala, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = request(october, by=kepala)
    run.refresh_from_db()
    client.force_login(kepala)
    html = client.get(reverse("reports:detail", args=[run.pk])).content.decode()
    assert "LB/RUTAN-BALIKPAPAN/2026-10/V1" in html
    summary = html[html.index("Ringkasan angka laporan") : html.index("Rincian teknis")]
    assert "Penghuni pada akhir bulan</dt><dd>3" in summary
    assert "SHA-256" not in summary
    technical = html[html.index("<details") : html.index("</details>")]
    assert "SHA-256" in technical and run.sha256 in technical
    api = client.get(f"/api/v1/reports/{run.pk}/").json()
    assert api["number"] == run.number
