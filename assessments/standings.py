"""Stored eligibility: each right of each sentenced inmate, judged on the facility's date.

A page never judges the rules of every inmate to count them. `refresh(facility)` judges
every right (`eligibility.standings`) of every active, sentenced inmate of one facility on its
date and stores one `EligibilityStanding` per right that applies (the day its time condition
is met, whether every condition holds), with the facility's `EligibilityBook`: that date and
the version of what eligibility reads (`input_tables`), read *before* judging.

The stored figures are shown only while they are current: the book is of the facility's
date and of the version the data has now (`current`). Any write to what eligibility reads —
a form, an import, the admin, raw SQL: the freshness triggers see them all — raises that
version, so standings judged before it are not shown; a write committed while judging leaves
the book behind the data, and it is judged again. While not current a figure reads "being
recomputed" (`eligible_count` returns None) and a refresh is queued:

- by the page that needed it (`request_refresh`, at most one queued per facility);
- by `sweep`, every minute (beat): after a write somewhere, and at each facility's midnight
  (WIB, WITA, WIT), when the windows of good behaviour and the guarantees move with the date.

On a database without the freshness triggers (the embedded SQLite demo) nothing is stored and
the figure is counted from the worklist itself.
"""

import contextlib
import logging
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rutan.core import freshness
from rutan.facilities.models import Facility
from rutan.inmates.models import Inmate

from . import eligibility
from .choices import EligibilityKind
from .models import EligibilityBook, EligibilityStanding

log = logging.getLogger(__name__)

KINDS = tuple(EligibilityKind.values)
# A refresh queued for a facility and not yet started: no second one is queued meanwhile.
QUEUED_KEY = "standings-queued:{}"
QUEUED_SECONDS = 10 * 60


def input_tables() -> list[str]:
    """What a judgement reads: the register, custody and sentence records and the legal rules
    of the inmates app; SPPN scores and the rights' rules; guarantees and their partners; the
    facility (its timezone gives its date). Not programmes, interns, agreements, findings,
    the other assessments, proposals (their steps do not change `eligible`) or the
    standings themselves."""
    models = [
        *apps.get_app_config("inmates").get_models(),
        apps.get_model("assessments", "BehaviourScore"),
        apps.get_model("assessments", "EligibilityRule"),
        apps.get_model("assessments", "EligibilityCondition"),
        apps.get_model("assessments", "EligibilitySpecialCategory"),
        apps.get_model("partners", "Guarantee"),
        apps.get_model("partners", "Partner"),
        apps.get_model("facilities", "Facility"),
    ]
    return freshness.tables_of(*models)


def population(facility: Facility):
    """The inmates whose rights are judged: active and sentenced at the facility (the
    worklist's own filter)."""
    from .selectors import rights_population

    return rights_population(Inmate.objects.filter(facility=facility))


def refresh(facility: Facility) -> EligibilityBook:
    """Judge every right of the facility's population on its date and store the standings
    and the book, in one transaction (a reader sees the old set or the new one)."""
    started = time.perf_counter()
    version = freshness.version_key([facility.pk], input_tables())
    on = facility.today()
    inmates = list(population(facility).select_related("facility", "block"))
    rules = eligibility.rules_by_facility([facility.pk])
    readings = eligibility.reckoning.readings_for([facility.pk])
    judged, problems = eligibility.standings(
        inmates=inmates, on=on, kinds=KINDS, rules=rules, readings=readings
    )
    rows = [
        EligibilityStanding(
            inmate=inmate, facility=facility, kind=kind, time_date=date, eligible=ok
        )
        for kind, judged_rows in judged.items()
        for inmate, date, ok in judged_rows
    ]
    with transaction.atomic():
        # With the rows an inmate transferred here still has at the facility they left
        # (whose book the transfer made stale too, so nothing of it is shown meanwhile).
        EligibilityStanding.objects.filter(
            Q(facility=facility) | Q(inmate__in=[i.pk for i in inmates])
        ).delete()
        EligibilityStanding.objects.bulk_create(rows, batch_size=5000)
        book, _created = EligibilityBook.objects.update_or_create(
            facility=facility,
            defaults={
                "judged_on": on,
                "version": version,
                "judged_at": timezone.now(),
                "seconds": round(time.perf_counter() - started, 3),
                "inmates": len(inmates),
                "problems": problems,
            },
        )
    return book


def current(facility: Facility, book: EligibilityBook | None, version: str | None = None) -> bool:
    """Whether `book` holds the judgement of the facility's data as it is now, today
    (`version`: the facility's version when already read, see `versions`)."""
    if book is None or book.judged_on != facility.today():
        return False
    if version is None:
        version = freshness.version_key([facility.pk], input_tables())
    return book.version == version


def versions() -> dict[int, str]:
    """Every facility's version of what eligibility reads, in one query: {id: version}, as
    `freshness.version_key([id], input_tables())` reads it (a facility without a write of
    its own reads the facility-less sum, under the key None)."""
    sums = freshness.versions(tables=input_tables())
    everywhere = sums.get(None, 0)
    return _Versions({pk: str(total + everywhere) for pk, total in sums.items() if pk}, everywhere)


class _Versions(dict):
    def __init__(self, data, everywhere):
        super().__init__(data)
        self.everywhere = str(everywhere)

    def __missing__(self, key):
        return self.everywhere


def request_refresh(facility_id: int, *, queue: str = "interactive") -> bool:
    """Queue `assessments.refresh_standings` for the facility unless one is already queued
    (the queued mark is dropped as the task starts, so a write meanwhile queues the next);
    True when queued now. A broker or cache outage is logged, not raised: the next sweep
    queues it again."""
    from .tasks import refresh_standings

    try:
        if not cache.add(QUEUED_KEY.format(facility_id), 1, QUEUED_SECONDS):
            return False
    except Exception:  # noqa: BLE001 - the cache is an optimisation here
        log.warning("standings: cache unavailable, queueing without the mark", exc_info=True)
    try:
        refresh_standings.apply_async(args=[facility_id], queue=queue)
    except Exception:  # noqa: BLE001 - a page must not fail because the broker did
        log.warning("standings: refresh of facility %s not queued", facility_id, exc_info=True)
        with contextlib.suppress(Exception):
            cache.delete(QUEUED_KEY.format(facility_id))
        return False
    return True


def _book(facility: Facility) -> EligibilityBook | None:
    return EligibilityBook.objects.filter(facility=facility).first()


def eligible_count(facility: Facility, kind: str = EligibilityKind.ASIMILASI) -> int | None:
    """How many of the facility's inmates meet every condition of `kind` today: the eligible
    rows of the worklist (`eligibility_worklist(only_eligible=True)`), from the stored
    standings; None while they are being judged again (a refresh is queued). Raises the
    rule's ValidationError when the right has no rule."""
    if not freshness.enabled():
        inmates = population(facility).select_related("facility", "block")
        judged, problems = eligibility.standings(inmates=inmates, on=facility.today(), kinds=[kind])
        if kind in problems:
            raise eligibility.ValidationError(problems[kind])
        return sum(ok for _inmate, _date, ok in judged[kind])
    book = _book(facility)
    if not current(facility, book):
        request_refresh(facility.pk)
        # With an eager queue (tests, a one-process set-up) the refresh has run by now.
        book = _book(facility)
        if not current(facility, book):
            return None
    if kind in book.problems:
        raise eligibility.ValidationError(book.problems[kind])
    return EligibilityStanding.objects.filter(facility=facility, kind=kind, eligible=True).count()


def sweep() -> int:
    """Queue a refresh of every facility whose standings are not current: no book yet, a
    write since (interactive queue), or a new date at the facility (batch queue). The
    versions of every facility are read in one query. Returns how many were queued."""
    now = versions()
    books = {b.facility_id: b for b in EligibilityBook.objects.all()}
    queued = 0
    for facility in Facility.objects.only("pk", "timezone"):
        book = books.get(facility.pk)
        if current(facility, book, now[facility.pk]):
            continue
        new_day = book is not None and book.version == now[facility.pk]
        queued += request_refresh(facility.pk, queue="batch" if new_day else "interactive")
    return queued
