"""Every read of personal data leaves one audit entry, lists included (the filters and the ids
shown), downloads too; every refused attempt (404 outside the scope, the API's 401 and 403)
leaves a DENIED entry that the facility head of the object's facility can find.

The demo data (Rutan Balikpapan and Ruteng, their staff, inmates, programmes, assessments,
partners and interns) is loaded once for the module."""

import datetime
import importlib
import io
import re

from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from rest_framework.test import APIClient

from assessments.models import LiteracyAssessment, PsychologicalAssessment
from interns.models import ActivityLog, Intern
from partners import services as partner_services
from partners.demo import demo_pdf
from partners.models import Agreement, Guarantee, Partner
from programmes import services as programme_services
from programmes.models import Certificate, Enrolment, Programme, Session
from rutan.accounts.models import User
from rutan.core.models import AuditAction, AuditEntry
from rutan.facilities.models import Facility
from rutan.inmates.models import Inmate
from rutan.reports import services as report_services
from tests.conftest import _DATA_MIGRATIONS


def _page_ids(response):
    return [row.pk for row in response.context["page_obj"]]


def _api_ids(response):
    body = response.json()
    return [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]


@override_settings(AUDIT_DENIED_DEDUPE_SECONDS=60)
class ReadAuditTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for module, func in _DATA_MIGRATIONS:
            getattr(importlib.import_module(module), func)(apps, None)
        call_command("seed_demo", password="uji-demo-123", stdout=io.StringIO())
        cls.users = {u.username: u for u in User.objects.all()}
        cls.bpp = Facility.objects.get(code="rutan-balikpapan")
        cls.ruteng = Facility.objects.get(code="rutan-ruteng")
        cls.inmate = Inmate.objects.filter(facility=cls.bpp, status="active").order_by("pk")[0]
        cls.psych = PsychologicalAssessment.objects.filter(inmate__facility=cls.bpp).first()
        cls.report_run = report_services.report_run_request(
            target=cls.bpp, period="2026-01", by=None, enqueue=False
        )
        magang = Intern.objects.get(user__username="magang")
        cls.other_log = (
            ActivityLog.objects.filter(intern__batch__facility=cls.bpp)
            .exclude(intern=magang)
            .order_by("pk")
            .first()
        )
        cls.own_log = ActivityLog.objects.filter(intern=magang).order_by("pk").first()
        cls.certificate = Certificate.objects.filter(facility=cls.bpp).first()
        if cls.certificate is None:
            enrolment = Enrolment.objects.filter(
                programme__facility=cls.bpp, status="active"
            ).first()
            programme_services.enrolment_complete(enrolment=enrolment, by=cls.users["admin"])
            cls.certificate = programme_services.certificate_issue(
                enrolment=enrolment,
                competence="Tata boga",
                issuer="Rutan Balikpapan",
                by=cls.users["admin"],
            )

    def setUp(self):
        cache.clear()  # the dedupe window of refused attempts

    def _reads(self):
        return AuditEntry.objects.filter(action=AuditAction.READ)

    def _one_read(self, username, url, *, api=False, model=None):
        """GET `url` as `username`; exactly one new READ entry, returned with the answer."""
        client = APIClient() if api else self.client
        client.force_login(self.users[username])
        last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        new = list(self._reads().filter(pk__gt=last))
        self.assertEqual(len(new), 1, f"{url}: {new}")
        entry = new[0]
        self.assertEqual(entry.actor_id, self.users[username].pk)
        if model is not None:
            self.assertEqual(entry.object_type, model._meta.label_lower)
        return response, entry

    # Page lists ---------------------------------------------------------------------------

    def test_register_list_records_filters_page_and_ids_shown(self):
        response, entry = self._one_read(
            "registrasi", "/wbp/?status=active&page=2&q=", model=Inmate
        )
        ids = _page_ids(response)
        self.assertEqual(len(ids), 25)
        self.assertEqual(entry.object_id, "")
        self.assertEqual(entry.after, {"filters": {"status": "active"}, "page": 2, "ids": ids})
        self.assertEqual(entry.facility_id, self.bpp.pk)
        self.assertEqual(entry.via, "web")

    def test_every_page_list_of_personal_data_writes_one_read_with_its_ids(self):
        programme = Programme.objects.filter(facility=self.bpp, enrolments__isnull=False)[0]
        session = Session.objects.filter(programme=programme).order_by("date").first()
        batch_intern = Intern.objects.get(user__username="magang")
        cases = [
            ("kepala", "/wbp/peringatan-penahanan/", Inmate, None),
            ("pembina", f"/program/{programme.pk}/", Enrolment, None),
            ("pembina", f"/sesi/{session.pk}/", Enrolment, None),
            ("pembina", f"/program/{programme.pk}/daftarkan-massal/", Inmate, _page_ids),
            ("pembina", "/asimilasi/?status=", None, _page_ids),
            ("pembina", "/asesmen/?kind=literasi", LiteracyAssessment, _page_ids),
            ("pembina", "/asesmen/sppn/", Inmate, None),
            ("kepala", "/asesmen/kelayakan/", Inmate, None),
            ("mentor", "/magang/tinjauan/", ActivityLog, _page_ids),
            ("mentor", "/magang/peserta/", Intern, _page_ids),
            ("mentor", f"/magang/peserta/{batch_intern.pk}/", ActivityLog, _page_ids),
            ("magang", "/magang/", ActivityLog, _page_ids),
            ("kepala", "/tindak-lanjut/", None, _page_ids),
            ("kepala", f"/impor/upt/{self.bpp.pk}/", None, None),
        ]
        for username, url, model, shown in cases:
            with self.subTest(url=url):
                response, entry = self._one_read(username, url, model=model)
                self.assertEqual(entry.object_id, "")
                self.assertIn("filters", entry.after)
                self.assertIsInstance(entry.after["ids"], list)
                if shown is not None:
                    self.assertEqual(entry.after["ids"], shown(response))
        roster = self._one_read("pembina", f"/program/{programme.pk}/")[1]
        expected = {
            e.pk for e in Enrolment.objects.filter(programme=programme, status__in=["active"])
        }
        self.assertTrue(expected <= set(roster.after["ids"]))
        self.assertEqual(roster.after["filters"], {"programme": str(programme.pk)})

    def test_detail_pages_of_personal_records_are_read_once(self):
        enrolment = Enrolment.objects.filter(programme__facility=self.bpp).first()
        partner = Partner.objects.filter(facility=self.bpp).first()
        cases = [
            ("pembina", f"/peserta/{enrolment.pk}/", enrolment),
            ("kepala", f"/mitra/{partner.pk}/", partner),
            ("mentor", f"/magang/kegiatan/{self.other_log.pk}/", self.other_log),
            ("pembina", f"/wbp/{self.inmate.pk}/", self.inmate),
            ("pembina", f"/asesmen/wbp/{self.inmate.pk}/", self.inmate),
        ]
        for username, url, obj in cases:
            with self.subTest(url=url):
                entry = self._one_read(username, url, model=type(obj))[1]
                self.assertEqual(entry.object_id, str(obj.pk))
                self.assertEqual(entry.facility_id, self.bpp.pk)

    # API lists and reads ------------------------------------------------------------------

    def test_every_api_list_of_personal_data_writes_one_read_with_its_ids(self):
        cases = [
            ("registrasi", "/api/v1/inmates/?status=active&page=2"),
            ("pembina", "/api/v1/enrolments/"),
            ("pembina", "/api/v1/attendance/"),
            ("pembina", "/api/v1/certificates/"),
            ("pembina", "/api/v1/assimilation-placements/"),
            ("kepala", "/api/v1/partners/"),
            ("kepala", "/api/v1/guarantees/"),
            ("mentor", "/api/v1/intern-logs/"),
            ("mentor", "/api/v1/intern-attendance/"),
            ("kepala", "/api/v1/imports/"),
            ("psikolog", "/api/v1/assessments/psychological/"),
            ("pembina", "/api/v1/assessments/literacy/"),
            ("pembina", "/api/v1/assessments/interest/"),
            ("pembina", "/api/v1/assessments/behaviour/"),
        ]
        for username, url in cases:
            with self.subTest(url=url):
                response, entry = self._one_read(username, url, api=True)
                self.assertEqual(entry.after["ids"], _api_ids(response))
                self.assertEqual(entry.via, "api")
        inmates = self._one_read("registrasi", "/api/v1/inmates/?status=active&page=2", api=True)
        self.assertEqual(inmates[1].after["filters"], {"status": "active"})
        self.assertEqual(inmates[1].after["page"], 2)
        self.assertEqual(len(inmates[1].after["ids"]), 50)
        self.assertEqual(inmates[1].facility_id, self.bpp.pk)

    def test_api_retrieve_of_personal_records_is_read_once(self):
        enrolment = Enrolment.objects.filter(programme__facility=self.bpp).first()
        guarantee = Guarantee.objects.filter(inmate__facility=self.bpp).first()
        literacy = LiteracyAssessment.objects.filter(inmate__facility=self.bpp).first()
        cases = [
            ("registrasi", f"/api/v1/inmates/{self.inmate.pk}/", self.inmate),
            ("pembina", f"/api/v1/enrolments/{enrolment.pk}/", enrolment),
            ("kepala", f"/api/v1/guarantees/{guarantee.pk}/", guarantee),
            ("mentor", f"/api/v1/intern-logs/{self.other_log.pk}/", self.other_log),
            ("pembina", f"/api/v1/assessments/literacy/{literacy.pk}/", literacy),
            ("kanwil", f"/api/v1/assessments/psychological/{self.psych.pk}/", self.psych),
        ]
        for username, url, obj in cases:
            with self.subTest(url=url):
                entry = self._one_read(username, url, api=True, model=type(obj))[1]
                self.assertEqual(entry.object_id, str(obj.pk))

    def test_recommendations_and_eligibility_are_audited(self):
        for path, read in (("recommendations", "recommendations"), ("eligibility", "eligibility")):
            with self.subTest(path=path):
                url = f"/api/v1/inmates/{self.inmate.pk}/{path}/?on=2026-01-15"
                entry = self._one_read("pembina", url, api=True, model=Inmate)[1]
                self.assertEqual(entry.object_id, str(self.inmate.pk))
                self.assertEqual(
                    entry.after,
                    {"read": read, "filters": {"on": "2026-01-15"}, "ids": [self.inmate.pk]},
                )
                self.assertEqual(entry.facility_id, self.bpp.pk)

    # Downloads -----------------------------------------------------------------------------

    def test_downloads_are_audited(self):
        agreement = Agreement.objects.filter(facility=self.bpp).first()
        if not agreement.document:
            partner_services.agreement_attach_document(
                agreement=agreement,
                document=ContentFile(demo_pdf("PKS uji"), name="pks.pdf"),
                by=self.users["admin"],
            )
        guarantee = Guarantee.objects.filter(inmate__facility=self.bpp).exclude(letter="").first()
        intern = Intern.objects.get(user__username="magang")
        cases = [
            ("pembina", f"/sertifikat/{self.certificate.pk}/pdf/", self.certificate),
            ("kepala", f"/mitra/perjanjian/{agreement.pk}/dokumen/", agreement),
            ("kepala", f"/mitra/jaminan/{guarantee.pk}/surat/", guarantee),
            ("mentor", f"/magang/peserta/{intern.pk}/logbook.pdf", intern),
        ]
        for username, url, obj in cases:
            with self.subTest(url=url):
                response, entry = self._one_read(username, url, model=type(obj))
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                self.assertTrue(body.startswith(b"%PDF"))
                self.assertEqual(entry.object_id, str(obj.pk))
                self.assertTrue(entry.after["download"])
                self.assertEqual(entry.facility_id, self.bpp.pk)
                self.assertEqual(entry.via, "download")

    # Refused attempts --------------------------------------------------------------------

    def _denied(self, **filters):
        return AuditEntry.objects.filter(action=AuditAction.DENIED, **filters)

    def test_intern_and_other_facility_head_get_404_and_leave_a_trace_for_kepala(self):
        targets = [
            (f"/wbp/{self.inmate.pk}/", "inmates.inmate", self.inmate.pk),
            (
                f"/asesmen/psikologis/{self.psych.pk}/",
                "assessments.psychologicalassessment",
                self.psych.pk,
            ),
            (f"/reports/{self.report_run.pk}/", "reports.reportrun", self.report_run.pk),
            (f"/magang/kegiatan/{self.other_log.pk}/", "interns.activitylog", self.other_log.pk),
            (f"/api/v1/inmates/{self.inmate.pk}/", "inmates.inmate", self.inmate.pk),
            (
                f"/api/v1/assessments/psychological/{self.psych.pk}/",
                "assessments.psychologicalassessment",
                self.psych.pk,
            ),
            (f"/api/v1/reports/{self.report_run.pk}/", "reports.reportrun", self.report_run.pk),
            (
                f"/api/v1/intern-logs/{self.other_log.pk}/",
                "interns.activitylog",
                self.other_log.pk,
            ),
            (
                f"/api/v1/inmates/{self.inmate.pk}/eligibility/",
                "inmates.inmate",
                self.inmate.pk,
            ),
        ]
        for username in ("magang", "kepala_ruteng"):
            user = self.users[username]
            for url, object_type, pk in targets:
                if username == "kepala_ruteng" and "kegiatan" in url:
                    continue  # a facility head of Ruteng opens no intern's page at all
                with self.subTest(user=username, url=url):
                    client = APIClient() if url.startswith("/api/") else self.client
                    client.force_login(user)
                    response = client.get(url)
                    self.assertEqual(response.status_code, 404)
                    entry = self._denied(actor=user, after__path=url).get()
                    self.assertEqual(entry.object_type, object_type)
                    self.assertEqual(entry.object_id, str(pk))
                    self.assertEqual(entry.facility_id, self.bpp.pk)
                    self.assertEqual(entry.after["status"], 404)
                    self.assertEqual(entry.after["method"], "GET")
                    self.assertEqual(entry.after["address"], "127.0.0.1")
                    self.assertEqual(entry.via, "api" if url.startswith("/api/") else "web")
        # What kepala searches: their facility's refused attempts, by person.
        found = self._denied(facility_id=self.bpp.pk, actor=self.users["magang"])
        self.assertEqual(found.count(), len(targets))
        found = self._denied(facility_id=self.bpp.pk, actor=self.users["kepala_ruteng"])
        self.assertEqual(found.count(), len(targets) - 1)
        self.assertFalse(self._denied(facility_id=self.ruteng.pk).exists())

    def test_an_id_that_does_not_exist_answers_the_same_and_has_no_facility(self):
        api = APIClient()
        api.force_login(self.users["magang"])
        missing = Inmate.objects.order_by("-pk").first().pk + 1000
        known = api.get(f"/api/v1/inmates/{self.inmate.pk}/")
        unknown = api.get(f"/api/v1/inmates/{missing}/")
        self.assertEqual((known.status_code, known.json()), (unknown.status_code, unknown.json()))
        entry = self._denied(object_id=str(missing)).get()
        self.assertEqual(entry.object_type, "inmates.inmate")
        self.assertIsNone(entry.facility_id)
        self.client.force_login(self.users["magang"])
        known = self.client.get(f"/wbp/{self.inmate.pk}/")
        unknown = self.client.get(f"/wbp/{missing}/")
        self.assertEqual(known.status_code, unknown.status_code)

        def page(response, pk):
            body = response.content.decode().replace(str(pk), "")
            return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)

        self.assertEqual(page(known, self.inmate.pk), page(unknown, missing))
        self.assertEqual(self._denied(after__path=f"/wbp/{missing}/").get().facility_id, None)

    def test_anonymous_401_and_forbidden_403_of_the_api_are_recorded(self):
        response = APIClient().get(f"/api/v1/inmates/{self.inmate.pk}/")
        self.assertEqual(response.status_code, 401)
        entry = self._denied(actor=None).get()
        self.assertEqual(entry.after["status"], 401)
        self.assertEqual(entry.after["address"], "127.0.0.1")
        self.assertEqual(entry.object_id, str(self.inmate.pk))
        api = APIClient()
        api.force_login(self.users["kepala"])
        response = api.post(
            "/api/v1/intern-logs/",
            {"date": datetime.date.today().isoformat(), "hours": "1"},
            format="json",
        )
        self.assertEqual(response.status_code, 403)
        entry = self._denied(actor=self.users["kepala"]).get()
        self.assertEqual(
            (entry.after["status"], entry.after["method"], entry.object_type),
            (403, "POST", "interns.activitylog"),
        )

    def test_a_repeated_refusal_is_recorded_once_per_window_and_unknown_urls_not_at_all(self):
        self.client.force_login(self.users["magang"])
        for _ in range(3):
            self.assertEqual(self.client.get(f"/wbp/{self.inmate.pk}/").status_code, 404)
        self.assertEqual(self._denied(actor=self.users["magang"]).count(), 1)
        self.assertEqual(self.client.get("/tidak-ada-halaman-ini/").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/tidak-ada/").status_code, 404)
        self.assertEqual(self._denied(actor=self.users["magang"]).count(), 1)
        cache.clear()  # the window has passed
        self.client.get(f"/wbp/{self.inmate.pk}/")
        self.assertEqual(self._denied(actor=self.users["magang"]).count(), 2)

    def test_own_log_is_read_and_its_refusal_to_others_does_not_leak(self):
        entry = self._one_read("magang", f"/magang/kegiatan/{self.own_log.pk}/")[1]
        self.assertEqual(entry.object_id, str(self.own_log.pk))
        self.assertEqual(entry.facility_id, self.bpp.pk)


def test_every_viewset_of_personal_data_audits_its_reads():
    from assessments.api_urls import router as assessments_router
    from rutan.api_urls import router
    from rutan.core.api import ReadAuditMixin

    audited = {
        prefix
        for prefix, viewset, _basename in [*router.registry, *assessments_router.registry]
        if issubclass(viewset, ReadAuditMixin)
    }
    # Not personal: facilities, programmes, sessions, products, agreements, contributions;
    # reports audit their download (the file holds the personal data).
    assert audited == {
        "inmates",
        "imports",
        "enrolments",
        "attendance",
        "certificates",
        "assimilation-placements",
        "partners",
        "guarantees",
        "intern-logs",
        "intern-attendance",
        "assessments/psychological",
        "assessments/literacy",
        "assessments/interest",
        "assessments/behaviour",
    }
