from django.urls import reverse

from programmes import services
from rutan.core.models import AuditEntry
from tests.exports import csv_rows, xlsx_rows

LIST = reverse("programmes:list")


def test_programme_csv_honours_filters_scope_and_neutralises(
    client, pembina, balikpapan, ruteng, make_programme
):
    make_programme(balikpapan, title="+Barbershop", pillar="kemandirian", area="barbershop")
    make_programme(balikpapan, title="Kelas Literasi")
    make_programme(ruteng, title="Program Ruteng")
    client.force_login(pembina)
    header, *rows = csv_rows(client.get(LIST, {"pillar": "kemandirian", "unduh": "csv"}))
    assert header[:3] == ["Program", "Bidang", "Pilar"]
    assert [r[0] for r in rows] == ["'+Barbershop"]
    every = [r[0] for r in xlsx_rows(client.get(LIST, {"unduh": "xlsx"}))[1:]]
    assert sorted(every) == ["'+Barbershop", "Kelas Literasi"]
    entry = AuditEntry.objects.filter(via="export").order_by("id").first()
    assert entry.object_type == "programmes.programme" and entry.facility_id == balikpapan.pk
    assert entry.after == {"format": "csv", "filters": {"pillar": "kemandirian"}, "rows": 1}


def test_bad_programme_filter_is_a_clean_400(client, pembina, balikpapan):
    client.force_login(pembina)
    response = client.get(LIST, {"pillar": "<script>", "unduh": "csv"})
    assert response.status_code == 400 and not response.streaming


def test_programme_export_queries_do_not_grow(
    client, pembina, balikpapan, make_programme, django_assert_max_num_queries
):
    client.force_login(pembina)
    counts = []
    for total in (5, 30):
        for n in range(len(counts) and 5, total):
            make_programme(balikpapan, title=f"Program {n:02d}")
        with django_assert_max_num_queries(12) as captured:
            assert len(csv_rows(client.get(LIST, {"unduh": "csv"}))) == total + 1
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_roster_export_lists_the_programme_participants(
    client,
    pembina,
    national_admin,
    balikpapan,
    make_inmate,
    make_programme,
    django_assert_max_num_queries,
):
    programme = make_programme(balikpapan, capacity=40)
    other = make_programme(balikpapan, title="Lain", capacity=40)
    services.enrolment_create(programme=other, inmate=make_inmate(balikpapan), by=national_admin)
    url = reverse("programmes:detail", args=[programme.pk])
    client.force_login(pembina)
    counts = []
    for total in (5, 30):
        for n in range(len(counts) and 5, total):
            inmate = make_inmate(balikpapan, name=f"=Peserta {n:02d}")
            services.enrolment_create(programme=programme, inmate=inmate, by=national_admin)
        with django_assert_max_num_queries(14) as captured:
            header, *rows = csv_rows(client.get(url, {"unduh": "csv"}))
        counts.append(len(captured))
        assert len(rows) == total and all(r[0].startswith("'=Peserta") for r in rows)
    assert counts[0] == counts[1]
    assert header[:2] == ["Nama", "No. registrasi"]
    entry = AuditEntry.objects.filter(via="export").order_by("id").last()
    assert entry.object_type == "programmes.enrolment"
    assert entry.after["filters"] == {"programme": programme.pk} and entry.after["rows"] == 30


def test_roster_of_another_facility_is_404(client, pembina, ruteng, make_programme):
    programme = make_programme(ruteng)
    client.force_login(pembina)
    url = reverse("programmes:detail", args=[programme.pk])
    assert client.get(url, {"unduh": "csv"}).status_code == 404
    assert not AuditEntry.objects.filter(via="export").exists()


def _session_with_attendance(programme, inmates, by, today, *, note="=cmd|' /C calc'!A0"):
    import datetime

    enrolments = [services.enrolment_create(programme=programme, inmate=i, by=by) for i in inmates]
    for e in enrolments:
        e.started_on = today - datetime.timedelta(days=28)
        e.save()
    session = services.session_create(
        programme=programme,
        date=today,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        topic="Membaca",
        by=by,
    )
    services.attendance_record(session=session, absences={enrolments[0].pk: ("sick", note)}, by=by)
    return session


def test_attendance_exports_of_a_session_and_a_programme(
    client, pembina, balikpapan, make_inmate, make_programme, today, django_assert_max_num_queries
):
    programme = make_programme(balikpapan, capacity=40)
    counts = []
    for total in (5, 30):
        inmates = [make_inmate(balikpapan) for _ in range(total)]
        session = _session_with_attendance(
            programme if not counts else make_programme(balikpapan, title="B", capacity=40),
            inmates,
            pembina,
            today,
        )
        client.force_login(pembina)
        url = reverse("programmes:session_register", args=[session.pk])
        with django_assert_max_num_queries(14) as captured:
            header, *rows = csv_rows(client.get(url, {"unduh": "csv"}))
        counts.append(len(captured))
        assert len(rows) == total
    assert counts[0] == counts[1]
    assert header[:4] == ["Tanggal", "Jam mulai", "Materi", "Nama"]
    absent = [r for r in rows if r[6] == "Tidak hadir"]
    assert len(absent) == 1 and absent[0][8] == "'=cmd|' /C calc'!A0"
    assert rows[0][0] == today.strftime("%d-%m-%Y") and rows[0][1] == "09:00"
    whole = xlsx_rows(
        client.get(reverse("programmes:detail", args=[programme.pk]), {"presensi": "xlsx"})
    )
    assert len(whole) == 6
    entry = AuditEntry.objects.filter(via="export").order_by("id").last()
    assert entry.object_type == "programmes.attendance"
    assert entry.after == {"format": "xlsx", "filters": {"programme": programme.pk}, "rows": 5}


def test_attendance_of_another_facility_is_404(
    client, pembina, kepala_ruteng, ruteng, make_inmate, make_programme, today
):
    programme = make_programme(ruteng, capacity=5)
    session = _session_with_attendance(programme, [make_inmate(ruteng)], kepala_ruteng, today)
    client.force_login(pembina)
    url = reverse("programmes:session_register", args=[session.pk])
    assert client.get(url, {"unduh": "csv"}).status_code == 404
    detail = reverse("programmes:detail", args=[programme.pk])
    assert client.get(detail, {"presensi": "csv"}).status_code == 404
