"""Every web form that edits a stored record carries its version: a save made on an older
version than the row is refused with the current values shown, and nothing is written."""

import datetime
import inspect
import re
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments import services as assessment_services
from assessments.models import BehaviourScore
from interns import services as intern_services
from interns.models import ActivityLog, Batch, Intern
from partners import services as partner_services
from programmes import services as programme_services
from rutan.core.admin import VersionedAdminMixin
from rutan.core.roles import Role
from rutan.facilities.services import followup_create, followup_update
from rutan.inmates import services as inmate_services
from tests.factories import member

STALE = "Data ini sudah diubah orang lain"
D = datetime.timedelta


def _form_data(form) -> dict:
    """What a browser posts back for a form as it was shown (its hidden version too)."""
    data = {}
    for name, field in form.fields.items():
        if field.widget.needs_multipart_form and name == "photos":
            continue
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    return data


@pytest.fixture
def programme(balikpapan, national_admin):
    today = balikpapan.today()
    return programme_services.programme_create(
        facility=balikpapan,
        by=national_admin,
        title="Kelas Tata Rias",
        pillar="kemandirian",
        area="tata_rias",
        capacity=10,
        start_date=today - D(days=60),
        end_date=today + D(days=60),
        facilitator="Petugas Uji",
        status="running",
    )


@pytest.fixture
def session(programme, pembina, balikpapan):
    return programme_services.session_create(
        programme=programme,
        by=pembina,
        date=balikpapan.today(),
        # At midnight: begun whenever the test runs (a register opens once its session starts).
        start_time=datetime.time(0),
        end_time=datetime.time(23, 59),
        topic="Pola dasar",
    )


@pytest.fixture
def psikolog(balikpapan):
    return member(Role.PSYCHOLOGIST, facility=balikpapan, username="psikolog")


@pytest.fixture
def mentor(balikpapan):
    return member(Role.MENTOR, facility=balikpapan, username="mentor")


@pytest.fixture
def intern(balikpapan, magang, mentor):
    today = balikpapan.today()
    batch = Batch.objects.create(
        facility=balikpapan,
        name="Magang Nasional Batch III",
        start_on=today - D(days=120),
        end_on=today + D(days=60),
    )
    return Intern.objects.create(
        batch=batch, user=magang, campus="Universitas Mulawarman", mentor=mentor
    )


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _draft_log(intern):
    return intern_services.log_save_draft(
        intern=intern,
        by=intern.user,
        data={
            "on": intern.batch.facility.today() - D(days=1),
            "hours": 2,
            "log_type": "asesmen_literasi",
            "place": "Ruang pembinaan",
            "description": "Asesmen buta aksara.",
        },
    )


# Each case: who edits, the page, the other person's change (through the service) and the
# value it leaves in the page, and one change of the editor's with a way to read it back.


def _inmate(r):
    inmate = r.getfixturevalue("make_inmate")(r.getfixturevalue("balikpapan"), name="Budi Santoso")
    return SimpleNamespace(
        user=r.getfixturevalue("registrasi"),
        url=reverse("inmates:update", args=[inmate.pk]),
        other=lambda: inmate_services.inmate_update(
            inmate=inmate, by=r.getfixturevalue("kepala"), name="Budi Santosa"
        ),
        shown='value="Budi Santosa"',
        mine={"case_article": "Pasal 362 KUHP"},
        written=lambda: type(inmate).objects.get(pk=inmate.pk).case_article,
    )


def _programme(r):
    programme = r.getfixturevalue("programme")
    return SimpleNamespace(
        user=r.getfixturevalue("pembina"),
        url=reverse("programmes:update", args=[programme.pk]),
        other=lambda: programme_services.programme_update(
            programme=programme, by=r.getfixturevalue("kepala"), facilitator="Petugas Lain"
        ),
        shown='value="Petugas Lain"',
        mine={"title": "Kelas Tata Rias Lanjutan"},
        written=lambda: type(programme).objects.get(pk=programme.pk).title,
    )


def _session(r):
    session = r.getfixturevalue("session")
    return SimpleNamespace(
        user=r.getfixturevalue("pembina"),
        url=reverse("programmes:session_update", args=[session.pk]),
        other=lambda: programme_services.session_update(
            session=session, by=r.getfixturevalue("kepala"), topic="Pola lanjutan"
        ),
        shown='value="Pola lanjutan"',
        mine={"location": "Bengkel jahit"},
        written=lambda: type(session).objects.get(pk=session.pk).location,
    )


def _register(r):
    session = r.getfixturevalue("session")
    inmate = r.getfixturevalue("make_inmate")(r.getfixturevalue("balikpapan"))
    pembina = r.getfixturevalue("pembina")
    enrolment = programme_services.enrolment_create(
        programme=session.programme, inmate=inmate, by=pembina
    )
    return SimpleNamespace(
        user=pembina,
        url=reverse("programmes:session_register", args=[session.pk]),
        other=lambda: programme_services.attendance_record(
            session=session,
            absences={enrolment.pk: ("court", "Sidang PN Balikpapan")},
            by=r.getfixturevalue("kepala"),
        ),
        shown='value="Sidang PN Balikpapan"',
        mine={f"reason-{enrolment.pk}": "sick", f"note-{enrolment.pk}": "Demam"},
        written=lambda: list(
            session.attendance.filter(note="Demam").values_list("reason", flat=True)
        ),
        saved=["sick"],
    )


def _assessment(kind, user, create, update, change):
    def case(r):
        inmate = r.getfixturevalue("make_inmate")(r.getfixturevalue("balikpapan"))
        editor = r.getfixturevalue(user)
        record = create(inmate=inmate, by=editor, assessed_on=inmate.facility.today())
        return SimpleNamespace(
            user=editor,
            url=reverse("assessments:update", args=[kind, record.pk]),
            other=lambda: update(
                assessment=record, by=r.getfixturevalue("kepala"), instrument="Instrumen lain"
            ),
            shown='value="Instrumen lain"',
            mine={change: "Ditinjau ulang bulan depan"},
            written=lambda: getattr(type(record).objects.get(pk=record.pk), change),
        )

    return case


def _psych_draft(**kwargs):
    return assessment_services.psych_create(instrument="SRQ-20", findings="Cemas ringan", **kwargs)


def _literacy_draft(**kwargs):
    return assessment_services.literacy_create(
        script="latin",
        level="keaksaraan_dasar",
        reading_score=40,
        writing_score=30,
        numeracy_score=50,
        **kwargs,
    )


def _interest_draft(**kwargs):
    return assessment_services.interest_create(areas=["tata_rias"], **kwargs)


def _log(r):
    r.getfixturevalue("private_media")
    intern = r.getfixturevalue("intern")
    log = _draft_log(intern)
    return SimpleNamespace(
        user=intern.user,
        url=reverse("interns:log_edit", args=[log.pk]),
        # The same intern on another device.
        other=lambda: intern_services.log_save_draft(
            intern=intern, by=intern.user, log=log, data={"place": "Dapur umum"}
        ),
        shown='value="Dapur umum"',
        mine={"description": "Asesmen buta aksara: 7 dari 12 WBP.", "action": "draft"},
        written=lambda: type(log).objects.get(pk=log.pk).description,
    )


def _evaluation(r):
    intern = r.getfixturevalue("intern")
    month = intern.batch.facility.today().replace(day=1)
    scores = {"discipline": 3, "initiative": 3, "competence": 3, "teamwork": 3}

    def save(by, **changes):
        return intern_services.evaluation_save(
            intern=intern, month=month, by=by, **(scores | changes)
        )

    evaluation = save(r.getfixturevalue("mentor"))
    return SimpleNamespace(
        user=r.getfixturevalue("mentor"),
        url=reverse("interns:evaluation", args=[intern.pk, month.year, month.month]),
        other=lambda: save(r.getfixturevalue("kepala"), comment="Perlu lebih teliti"),
        shown="Perlu lebih teliti",
        mine={"discipline": 5},
        written=lambda: type(evaluation).objects.get(pk=evaluation.pk).discipline,
        saved=5,
    )


def _followup(r):
    kepala = r.getfixturevalue("kepala")
    item = followup_create(
        facility=r.getfixturevalue("balikpapan"), title="Panel listrik Blok A rusak", by=kepala
    )
    due = item.facility.today() + D(days=14)
    return SimpleNamespace(
        user=r.getfixturevalue("pembina"),
        url=reverse("interns:followup_detail", args=[item.pk]),
        other=lambda: followup_update(item=item, by=kepala, resolution="Teknisi dipanggil"),
        shown="Teknisi dipanggil",
        mine={"due_on": due.isoformat()},
        written=lambda: type(item).objects.get(pk=item.pk).due_on,
        saved=due,
    )


EDIT_CASES = {
    "inmates:update": _inmate,
    "programmes:update": _programme,
    "programmes:session_update": _session,
    "programmes:session_register": _register,
    "assessments:update psikologis": _assessment(
        "psikologis",
        "psikolog",
        _psych_draft,
        assessment_services.psych_update,
        "recommendation",
    ),
    "assessments:update literasi": _assessment(
        "literasi",
        "pembina",
        _literacy_draft,
        assessment_services.literacy_update,
        "recommendation",
    ),
    "assessments:update minat": _assessment(
        "minat",
        "pembina",
        _interest_draft,
        assessment_services.interest_update,
        "recommendation",
    ),
    "interns:log_edit": _log,
    "interns:evaluation": _evaluation,
    "interns:followup_detail": _followup,
}


@pytest.mark.parametrize("name", EDIT_CASES)
def test_stale_edit_is_refused_with_current_values_and_a_fresh_one_saves(db, client, request, name):
    case = EDIT_CASES[name](request)
    client.force_login(case.user)
    page = client.get(case.url)
    assert page.status_code == 200
    form = page.context["form"]
    assert "version" in form.fields and form.fields["version"].widget.is_hidden
    assert re.search(r'<input type="hidden" name="version" value="[^"]+"', page.content.decode())
    before = case.written()

    case.other()
    response = client.post(case.url, _form_data(form) | case.mine)
    assert response.status_code == 200
    body = response.content.decode()
    assert STALE in body and case.shown in body
    assert case.written() == before

    fresh = response.context["form"]
    assert not fresh.is_bound
    response = client.post(case.url, _form_data(fresh) | case.mine)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert case.written() == getattr(case, "saved", next(iter(case.mine.values())))


def test_a_post_without_a_version_is_not_checked(db, client, request):
    """Older pages (and scripts) that send no version save as before."""
    case = _programme(request)
    client.force_login(case.user)
    data = _form_data(client.get(case.url).context["form"]) | case.mine
    case.other()
    del data["version"]
    assert client.post(case.url, data).status_code == 302
    assert case.written() == "Kelas Tata Rias Lanjutan"


def test_service_error_keeps_the_version_the_user_saw(db, client, request):
    """An invalid save shows the user's values and still carries the version they opened."""
    case = _programme(request)
    client.force_login(case.user)
    data = _form_data(client.get(case.url).context["form"])
    response = client.post(case.url, data | {"capacity": "0"})
    assert response.status_code == 200 and STALE not in response.content.decode()
    assert response.context["form"]["version"].value() == data["version"]
    case.other()
    again = _form_data(response.context["form"]) | case.mine | {"capacity": "12"}
    response = client.post(case.url, again)
    assert STALE in response.content.decode() and case.written() == "Kelas Tata Rias"


def test_log_autosave_refuses_a_stale_draft_and_hands_back_each_new_version(db, client, request):
    case = _log(request)
    client.force_login(case.user)
    data = _form_data(client.get(case.url).context["form"])
    log_pk = int(case.url.rstrip("/").split("/")[-2])
    autosave = reverse("interns:log_autosave")
    headers = {"HX-Request": "true"}

    saved = client.post(
        autosave, data | {"log": log_pk, "place": "Aula"}, headers=headers
    ).content.decode()
    assert "Draf tersimpan otomatis" in saved
    version = re.search(r'name="version" value="([^"]+)" id="id_version" hx-swap-oob', saved)
    assert version and version.group(1) != data["version"]
    data["version"] = version.group(1)
    # The form's own save after an autosave carries the version the autosave handed back.
    response = client.post(case.url, data | {"place": "Aula", "action": "draft"})
    assert response.status_code == 302

    old = data["version"]
    case.other()
    refused = client.post(autosave, data | {"log": log_pk, "place": "Lapangan"}, headers=headers)
    assert refused.status_code == 200 and "sudah diubah di tempat lain" in refused.content.decode()
    assert 'name="version"' not in refused.content.decode()
    assert ActivityLog.objects.get(pk=log_pk).place == "Dapur umum"
    no_htmx = client.post(autosave, data | {"log": log_pk, "version": old, "place": "X"})
    assert no_htmx.status_code == 409


def test_sppn_grid_refuses_rows_changed_since_and_shows_their_current_scores(
    client, balikpapan, pembina, kepala, make_inmate
):
    month = balikpapan.today().replace(day=1)
    scored, other = make_inmate(balikpapan, name="Andi"), make_inmate(balikpapan, name="Bayu")
    aspects = BehaviourScore.ASPECTS

    def save(inmate, by, value):
        assessment_services.behaviour_scores_save(
            facility=balikpapan,
            month=month,
            rows=[{"inmate": inmate, **dict.fromkeys(aspects, value)}],
            by=by,
        )

    save(scored, pembina, 70)
    query = {"block": scored.block_id, "month": month.strftime("%Y-%m")}
    client.force_login(pembina)
    page = client.get(reverse("assessments:sppn"), query).content.decode()
    versions = dict(re.findall(r'name="(v-\d+)" value="([^"]*)"', page))
    assert versions[f"v-{scored.pk}"] and versions[f"v-{other.pk}"] == ""

    save(scored, kepala, 90)
    save(other, kepala, 60)
    data = {**query, **versions}
    for inmate in (scored, other):
        data |= {f"s-{inmate.pk}-{a}": "80" for a in aspects}
    response = client.post(reverse("assessments:sppn"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert STALE in body and "sudah diubah orang lain sejak Anda membuka halaman" in body
    assert f'name="s-{scored.pk}-sikap" value="90"' in body
    assert f'name="s-{other.pk}-sikap" value="60"' in body
    assert set(BehaviourScore.objects.values_list("sikap", flat=True)) == {90, 60}

    shown = dict(re.findall(r'name="(v-\d+)" value="([^"]*)"', body))
    response = client.post(reverse("assessments:sppn"), data | shown)
    assert response.status_code == 302
    assert set(BehaviourScore.objects.values_list("sikap", flat=True)) == {80}


def test_sppn_due_list_keeps_a_row_scored_meanwhile_and_refuses_it(
    client, balikpapan, pembina, kepala, make_inmate
):
    month = balikpapan.today().replace(day=1) - D(days=1)
    month = month.replace(day=1)
    inmate = make_inmate(
        balikpapan, admission_date=month - D(days=30), sentence_start=month - D(days=30)
    )
    query = {"facility": balikpapan.pk, "month": month.strftime("%Y-%m"), "due": "on"}
    client.force_login(pembina)
    page = client.get(reverse("assessments:sppn"), query).content.decode()
    assert f'name="v-{inmate.pk}" value=""' in page
    assessment_services.behaviour_scores_save(
        facility=balikpapan,
        month=month,
        rows=[{"inmate": inmate, **dict.fromkeys(BehaviourScore.ASPECTS, 65)}],
        by=kepala,
    )
    data = query | {f"v-{inmate.pk}": ""}
    data |= {f"s-{inmate.pk}-{a}": "80" for a in BehaviourScore.ASPECTS}
    response = client.post(reverse("assessments:sppn"), data)
    assert response.status_code == 200 and STALE in response.content.decode()
    assert BehaviourScore.objects.get(inmate=inmate).sikap == 65


# The admin's change forms (partners and agreements are edited there only).


def _admin_data(response) -> dict:
    data = _form_data(response.context["adminform"].form)
    data.pop("upload_document", None)
    data.pop("upload_letter", None)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {f"{management.prefix}-{k}": v for k, v in _form_data(management).items()}
        for form in formset.forms:
            data |= {f"{form.prefix}-{k}": v for k, v in _form_data(form).items()}
    return data


def test_stale_admin_change_is_refused_and_the_form_shows_current_values(
    client, balikpapan, kepala, national_admin
):
    partner = partner_services.partner_create(
        facility=balikpapan, by=kepala, name="Yayasan SEKATA", partner_type="yayasan"
    )
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    client.force_login(kepala)
    page = client.get(url)
    assert 'name="version"' in page.content.decode()
    data = _admin_data(page)
    version = re.search(r'name="version" value="([^"]+)"', page.content.decode()).group(1)

    partner_services.partner_update(partner=partner, by=national_admin, city="Samarinda")
    response = client.post(url, data | {"version": version, "phone": "0542-123"})
    assert response.status_code == 302 and response.url == url
    shown = client.get(url).content.decode()
    assert STALE in shown and 'value="Samarinda"' in shown
    partner.refresh_from_db()
    assert (partner.city, partner.phone) == ("Samarinda", "")

    page = client.get(url)
    version = re.search(r'name="version" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(url, _admin_data(page) | {"version": version, "phone": "0542-123"})
    assert response.status_code == 302 and response.url != url
    partner.refresh_from_db()
    assert (partner.city, partner.phone) == ("Samarinda", "0542-123")


# A new edit form cannot forget its version.

EDIT_ROUTE = re.compile(r"(^|_)(update|edit)$")
# Edit pages whose check has a test of its own above.
COVERED_APART = {"interns:log_autosave", "assessments:sppn"}
# Pages that create a record, even though their form is bound to a new instance.
NOT_EDIT_FORMS = {"interns:log_create"}


def _named_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _edits_a_record(name, pattern) -> bool:
    """An edit page: named like one, or a view that binds a form to a stored instance."""
    try:
        source = inspect.getsource(inspect.unwrap(pattern.callback))
    except (OSError, TypeError):
        return False
    return bool(EDIT_ROUTE.search(name.split(":")[-1])) or "instance=" in source


def test_every_edit_page_is_covered_by_the_stale_save_tests():
    patterns = dict(_named_patterns())
    edit_pages = {
        name
        for name, pattern in patterns.items()
        if not name.startswith(("admin:", "api")) and _edits_a_record(name, pattern)
    }
    covered = {name.split(" ")[0] for name in EDIT_CASES} | COVERED_APART
    assert edit_pages - NOT_EDIT_FORMS - covered == set(), "an edit page without a version check"
    assert covered <= set(patterns), "a covered page that no longer exists"


def test_every_admin_change_form_of_a_versioned_model_checks_the_version():
    read_only = {"ReportRunAdmin"}
    missing = [
        type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if any(f.name == "updated_at" for f in model._meta.fields)
        and not isinstance(model_admin, VersionedAdminMixin)
        and type(model_admin).__name__ not in read_only
    ]
    assert missing == []
