"""The API keeps the promises of its schema, checked by schemathesis against a live server.

Every operation is called with generated requests, valid and invalid, as a facility head and
as an intern (token auth), on a facility that has inmates, a programme with sessions and
places, partners, assessments and intern logs. Detail operations address those real rows,
so they answer with data, not only 404s.
"""

import datetime
import re

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments import services as assessment_services
from interns import services as intern_services
from interns.models import Batch, Intern
from programmes import services as programme_services
from rutan.core.roles import Role
from tests.factories import api_token, member

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 10
# A role refused an operation is refused whatever it sends: two answers show the refusal's shape.
REFUSALS_ENOUGH = 2
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]
D = datetime.timedelta


@pytest.fixture
def world(balikpapan, kepala, magang, make_inmate):
    """One facility's worth of rows, made through the services as staff would."""
    today = timezone.localdate()
    inmate = make_inmate(
        balikpapan, sentence_start=today - D(days=600), admission_date=today - D(days=590)
    )
    detainee = make_inmate(
        balikpapan,
        register_type="A.II",
        legal_status="tahanan",
        admission_date=today - D(days=5),
    )
    programme = programme_services.programme_create(
        facility=balikpapan,
        by=kepala,
        title="Kelas Literasi",
        pillar="kepribadian",
        area="literasi",
        capacity=10,
        start_date=today - D(days=60),
        facilitator="Petugas Uji",
        status="running",
    )
    session = programme_services.session_create(
        programme=programme,
        by=kepala,
        date=today - D(days=1),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(11, 0),
        topic="Membaca",
    )
    enrolment = programme_services.enrolment_create(programme=programme, inmate=inmate, by=kepala)
    programme_services.attendance_record(session=session, absences={}, by=kepala)
    product = programme_services.product_create(
        programme=programme,
        by=kepala,
        name="Keset",
        made_on=today - D(days=2),
        quantity=3,
        unit="buah",
        unit_value=15000,
    )
    literacy = assessment_services.literacy_create(
        inmate=inmate,
        by=kepala,
        assessed_on=today,
        instrument="Asesmen buta aksara",
        script="latin",
        level="paket_a",
        reading_score=60,
        writing_score=55,
        numeracy_score=65,
    )
    interest = assessment_services.interest_create(
        inmate=inmate, by=kepala, assessed_on=today, instrument="Minat", areas=["literasi"]
    )
    mentor = member(Role.MENTOR, facility=balikpapan, username="mentor")
    batch = Batch.objects.create(
        facility=balikpapan, name="Batch III", start_on=today - D(days=30), end_on=today + D(60)
    )
    intern = Intern.objects.create(batch=batch, user=magang, campus="Unmul", mentor=mentor)
    log = intern_services.log_save_draft(
        intern=intern,
        by=magang,
        data={
            "on": today - D(days=1),
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(11, 0),
            "log_type": "asesmen_literasi",
            "place": "Ruang pembinaan",
            "people_reached": 12,
            "description": "Asesmen buta aksara.",
        },
    )
    return {
        "facilities": balikpapan.pk,
        "inmates": inmate.pk,
        "programmes": programme.pk,
        "sessions": session.pk,
        "enrolments": enrolment.pk,
        "products": product.pk,
        "assessments/literacy": literacy.pk,
        "assessments/interest": interest.pk,
        "intern-logs": log.pk,
        "_detainee": detainee.pk,
        "_block": inmate.block_id,
    }


def _resource(path: str) -> str:
    return re.sub(r"^/api/v1/(.*?)/\{.*$", r"\1", path)


def _with_real_references(world):
    """Point every reference a generated valid request makes at a row that exists: an id or
    a code of a row no schema can list is the one part of "valid" that only data decides."""
    references = {
        "inmate": world["inmates"],
        "programme": world["programmes"],
        "session": world["sessions"],
        "enrolment": world["enrolments"],
        "facility": world["facilities"],
        "block": world["_block"],
        "level": "paket_a",
        "min_literacy_level": "paket_a",
    }

    def fix(case):
        for container in (case.query, case.body):
            if isinstance(container, dict):
                for name, value in references.items():
                    if container.get(name) not in (None, ""):
                        container[name] = value
        return case

    return fix


def _run(operation, mode, *, base_url, headers, path_parameters, world):
    fixed = dict(headers)
    if any(p.name == "If-Match" for p in operation.headers):
        # A generated tag never names the row's version; "*" matches any (412 is tested apart).
        fixed["If-Match"] = "*"
    strategy = operation.as_strategy(
        generation_mode=mode, path_parameters=path_parameters, headers=fixed
    )
    checks = list(CHECKS)
    if mode == GenerationMode.POSITIVE:
        strategy = strategy.map(_with_real_references(world))
    if operation.method.upper() != "GET":
        # A write's validity also depends on the facility's rules and the rows' state (dates
        # after admission, one score a month, a running programme), which no schema states:
        # its 400s are checked for their shape, not counted as refused valid requests.
        checks.remove(positive_data_acceptance)

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def call(case):
        response = case.call_and_validate(base_url=base_url, headers=fixed, checks=checks)
        refusals.append(response.status_code == 403)
        if sum(refusals) >= REFUSALS_ENOUGH:
            raise _Refused

    refusals = []
    try:
        call()
    except _Refused:
        pass
    except hypothesis.errors.Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE  # nothing of the request can be made invalid


class _Refused(Exception):
    """The role may not use the operation; enough examples were sent."""


def _summary(exc) -> str:
    text = str(exc)
    for sub in getattr(exc, "exceptions", ()):
        text += "\n" + str(sub)
    return text


# Every operation is run but these. Signing out ends the token every other call uses
# (tests/accounts/test_api_tokens.py runs it).
SKIPPED: tuple[str, ...] = ("/api/v1/auth/logout/",)
CONFIG = {"generation": {"with-security-parameters": False}}


@pytest.mark.parametrize("role", ["kepala", "magang"])
def test_every_operation_keeps_the_schema(live_server, world, request, role):
    user = request.getfixturevalue(role)
    headers = {"Authorization": f"Token {api_token(user)}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json",
        headers=headers,
        config=schemathesis.Config.from_dict(CONFIG),
    )
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(SKIPPED):
            continue
        path_parameters = {}
        if "{id}" in operation.path and _resource(operation.path) in world:
            path_parameters["id"] = world[_resource(operation.path)]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(
                    operation,
                    mode,
                    base_url=live_server.url,
                    headers=headers,
                    path_parameters=path_parameters,
                    world=world,
                )
            except (Exception, BaseExceptionGroup) as exc:  # every operation is reported at once
                failures.append(f"{operation.label} [{mode.value}]: {_summary(exc)}")
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)
