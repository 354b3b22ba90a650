"""The inmate page shows the assessment summary through the panel extension point."""

from django.urls import reverse


def test_inmate_page_shows_assessment_summary_to_staff(client, pembina, wanita, sppn):
    sppn(wanita, months=2)
    client.force_login(pembina)
    html = client.get(reverse("inmates:detail", args=[wanita.pk])).content.decode()
    assert 'id="h-assessments"' in html and "SPPN terakhir" in html


def test_inmate_page_hides_assessments_from_roles_without_access(client, registrasi, wanita):
    client.force_login(registrasi)
    html = client.get(reverse("inmates:detail", args=[wanita.pk])).content.decode()
    assert 'id="h-assessments"' not in html
