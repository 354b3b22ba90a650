"""Warrants about to end and over-detention: the list, the dashboard figure, the daily job."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from rutan.core.models import JobRun
from rutan.inmates import selectors, services, tasks
from rutan.inmates.models import CustodyAlertDigest
from tests.factories import identity_data

D = datetime.timedelta


@pytest.fixture
def held(balikpapan, registrasi):
    """A detainee of Balikpapan held by a 30-day PN warrant ending `days` from today."""
    today = balikpapan.today()
    counter = iter(range(1, 100))

    def make(days_left: int, facility=None, by=None):
        facility = facility or balikpapan
        end = today + D(days=days_left)
        start = end - D(days=29)
        n = next(counter)
        return services.inmate_create(
            facility=facility,
            by=by or registrasi,
            detention={
                "authority": "pengadilan_negeri",
                "warrant_number": f"PEN/{n}/2026",
                "start": start,
                "end": end,
            },
            **identity_data(
                registration_number=f"AIII.{n:03d}/2026",
                name=f"Tahanan Uji {n}",
                admission_date=min(start, today),
                block=facility.blocks.filter(sex="L").first(),
            ),
        )

    return make


def _levels(alerts):
    return {a.inmate.name: a.level for a in alerts}


def test_levels_on_each_boundary(held, registrasi):
    """Ten days ahead warns, eleven does not; three days ahead is urgent, four is not; the
    day the warrant ends still warns, the day after is over-detention in red."""
    names = {days: held(days).name for days in (11, 10, 4, 3, 0, -1)}
    levels = _levels(selectors.custody_alerts(user=registrasi))
    assert names[11] not in levels
    assert levels[names[10]] == "10_hari" and levels[names[4]] == "10_hari"
    assert levels[names[3]] == "3_hari" and levels[names[0]] == "3_hari"
    assert levels[names[-1]] == "lewat_surat"
    red = [a for a in selectors.custody_alerts(user=registrasi) if a.red]
    assert [a.inmate.name for a in red] == [names[-1]]
    assert "dikeluarkan demi hukum" in red[0].advice


def test_an_extension_clears_the_warning(held, registrasi, balikpapan):
    inmate = held(2)
    end = inmate.detention_periods.get().end
    services.detention_add(
        inmate=inmate,
        by=registrasi,
        authority="pengadilan_negeri",
        order="perpanjangan",
        warrant_number="PEN-PANJANG/1",
        start=end + D(days=1),
        end=end + D(days=60),
    )
    assert inmate.name not in _levels(selectors.custody_alerts(user=registrasi))


def test_alerts_stay_in_scope(held, kepala_ruteng, ruteng, registrasi):
    held(1)
    assert selectors.custody_alerts(user=kepala_ruteng) == []


def test_dashboard_figures_equal_the_lists_they_open(client, kepala, balikpapan, held):
    for days in (-2, 1, 2, 7, 25):
        held(days)
    client.force_login(kepala)
    page = client.get(reverse("dashboard:home")).content.decode()
    widget = page[page.index('id="custody-widget"') :]
    widget = widget[: widget.index("</article>")]
    links = re.findall(r'href="([^"]*level=[^"]+)"><strong>(\d+)</strong>', widget)
    assert {href.split("level=")[1] for href, _ in links} == {"lewat_surat", "3_hari", "10_hari"}
    for href, figure in links:
        listed = client.get(href.replace("&amp;", "&"))
        assert listed.status_code == 200
        assert len(listed.context["alerts"]) == int(figure), href
    assert client.get(reverse("inmates:custody_alerts")).context["alerts"].__len__() == 4


def test_alert_page_refuses_other_facilities(client, kepala, ruteng):
    client.force_login(kepala)
    url = reverse("inmates:custody_alerts")
    assert client.get(f"{url}?facility={ruteng.pk}").status_code == 404
    assert client.get(f"{url}?facility=99999999999999999999").status_code == 404
    assert client.get(f"{url}?facility=abc").status_code == 404


def test_daily_job_mails_the_facility_once_a_day(held, kepala, registrasi, balikpapan):
    kepala.email, registrasi.email = "kepala@rutan.test", "registrasi@rutan.test"
    kepala.save()
    registrasi.save()
    held(-1)
    held(2)
    held(20)
    assert tasks.custody_alerts.delay().get() == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["kepala@rutan.test", "registrasi@rutan.test"]
    assert "2 peringatan masa penahanan" in message.subject
    assert "Ditahan melewati surat penahanan" in message.body
    assert f"?facility={balikpapan.pk}" in message.body
    assert tasks.custody_alerts.delay().get() == 0
    assert len(mail.outbox) == 1 and CustodyAlertDigest.objects.count() == 1
    runs = JobRun.objects.filter(kind="inmates.custody_alerts").order_by("id")
    assert [(r.success, r.processed) for r in runs] == [(True, 2), (True, 0)]


def test_alert_list_is_a_fixed_number_of_queries(
    client, kepala, held, django_assert_max_num_queries
):
    held(1)
    client.force_login(kepala)
    url = reverse("inmates:custody_alerts")
    client.get(url)
    for days in (2, 3, -1, 5):
        held(days)
    with django_assert_max_num_queries(12):
        assert len(client.get(url).context["alerts"]) == 5
