import datetime

from django.utils import timezone

from partners import services
from partners.models import Agreement

from .conftest import check_page, login, shoot


def test_facility_head_renews_an_agreement_in_the_admin(page, kepala, sekata, make_agreement):
    today = timezone.localdate()
    ending = services.agreement_activate(
        agreement=make_agreement(
            sekata,
            number="W18.PAS.PAS.1-HM.05.07",
            valid_from=today - datetime.timedelta(days=340),
            valid_to=today + datetime.timedelta(days=25),
        ),
        by=kepala,
    )
    login(page, "kepala")
    page.get_by_role("link", name="Admin", exact=True).click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_role("link", name="Perjanjian kerja sama", exact=True).click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_role("link", name="W18.PAS.PAS.1-HM.05.07").click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_role("button", name="Perpanjang").click()
    page.wait_for_load_state()

    renewal = Agreement.objects.get(renewed_from=ending)
    assert renewal.number == "W18.PAS.PAS.1-HM.05.07/P2"
    assert renewal.status == "draft"
    assert renewal.valid_from == ending.valid_to + datetime.timedelta(days=1)
    assert renewal.signatories.count() == 2
    assert f"Draf perpanjangan {renewal.number} dibuat." in page.content()
    assert page.locator("#id_number").input_value() == renewal.number
    ending.refresh_from_db()
    assert ending.status == "active"
    check_page(page)
    shoot(page, "journey-admin-renew-1366")
    page.set_viewport_size({"width": 360, "height": 900})
    check_page(page)
    shoot(page, "journey-admin-renew-360")
