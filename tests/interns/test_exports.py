import datetime

from django.urls import reverse

from rutan.core.models import AuditEntry
from rutan.facilities.services import followup_create, followup_update
from tests.exports import csv_rows, xlsx_rows

HOME = reverse("interns:home")
FOLLOWUPS = reverse("interns:followup_list")
D = datetime.timedelta


def test_own_logs_export_honours_filters_and_neutralises(client, intern, make_log, today):
    make_log(intern, on=today - D(days=1), description='=HYPERLINK("http://x")', submit=True)
    make_log(intern, on=today - D(days=2), description="Draf saja")
    client.force_login(intern.user)
    header, *rows = csv_rows(client.get(HOME, {"status": "submitted", "unduh": "csv"}))
    assert header[:3] == ["Tanggal", "Peserta", "Mulai"]
    assert [r[8] for r in rows] == ['\'=HYPERLINK("http://x")']
    assert rows[0][0] == (today - D(days=1)).strftime("%d-%m-%Y") and rows[0][2] == "09:00"
    assert len(xlsx_rows(client.get(HOME, {"unduh": "xlsx"}))) == 3
    entry = AuditEntry.objects.filter(via="export").order_by("id").first()
    assert entry.object_type == "interns.activitylog"
    assert entry.after["filters"] == {"status": "submitted", "intern": intern.pk}
    assert entry.after["rows"] == 1


def test_staff_export_of_an_intern_leaves_drafts_out(
    client, intern, mentor, make_log, today, django_assert_max_num_queries
):
    url = reverse("interns:intern_detail", args=[intern.pk])
    client.force_login(mentor)
    counts = []
    for total in (5, 30):
        for n in range(len(counts) and 5, total):
            make_log(intern, on=today - D(days=n + 1), submit=True)
        with django_assert_max_num_queries(14) as captured:
            rows = csv_rows(client.get(url, {"unduh": "csv"}))
        counts.append(len(captured))
        assert len(rows) == total + 1
    assert counts[0] == counts[1]
    make_log(intern, on=today - D(days=40), description="Draf rahasia")
    assert b"Draf rahasia" not in b"".join(client.get(url, {"unduh": "csv"}).streaming_content)


def test_bad_log_filter_is_a_clean_400(client, intern):
    client.force_login(intern.user)
    response = client.get(HOME, {"status": "bogus", "unduh": "csv"})
    assert response.status_code == 400 and not response.streaming


def test_followup_export_lists_what_the_page_lists(
    client, kepala, balikpapan, ruteng, kepala_ruteng, django_assert_max_num_queries
):
    done = followup_create(facility=balikpapan, title="Panel listrik rusak", by=kepala)
    followup_update(item=done, by=kepala, status="done", resolution="Diganti")
    followup_create(facility=balikpapan, title="@Dapur kurang gizi", by=kepala)
    followup_create(facility=ruteng, title="Di Ruteng", by=kepala_ruteng)
    client.force_login(kepala)
    # The bare page lists open items; so does its download.
    rows = csv_rows(client.get(FOLLOWUPS, {"unduh": "csv"}))
    assert [r[0] for r in rows[1:]] == ["'@Dapur kurang gizi"]
    rows = xlsx_rows(client.get(FOLLOWUPS, {"status": "done", "unduh": "xlsx"}))
    assert [r[0] for r in rows[1:]] == ["Panel listrik rusak"] and rows[1][-1] == "Diganti"
    entry = AuditEntry.objects.filter(via="export").order_by("id").last()
    assert entry.after == {"format": "xlsx", "filters": {"status": "done"}, "rows": 1}
    assert entry.facility_id == balikpapan.pk
    response = client.get(FOLLOWUPS, {"status": "bogus", "unduh": "csv"})
    assert response.status_code == 400
    counts = []
    for total in (5, 30):
        for n in range(len(counts) and 5, total):
            followup_create(facility=balikpapan, title=f"Temuan {n}", by=kepala)
        with django_assert_max_num_queries(12) as captured:
            assert len(csv_rows(client.get(FOLLOWUPS, {"status": "open", "unduh": "csv"}))) > 1
        counts.append(len(captured))
    assert counts[0] == counts[1]
