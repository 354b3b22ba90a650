"""The logbook PDF: letterhead, pages numbered as the reports are, and a signature block that
never stands alone on the last page."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from interns import exports
from interns.models import ActivityLog, LogStatus, LogType


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def logs_of(intern, n):
    """`n` submitted logs, unsaved: the PDF reads only their fields."""
    start = datetime.date(2026, 11, 2)
    return [
        ActivityLog(
            intern=intern,
            on=start + datetime.timedelta(days=i % 25),
            log_type=LogType.choices[0][0],
            start_time=datetime.time(8),
            end_time=datetime.time(12),
            hours=4,
            place="Dapur",
            description="Survei porsi makan siang dan kebersihan dapur bersama petugas. " * 2,
            status=LogStatus.SUBMITTED,
        )
        for i in range(n)
    ]


def render(intern, logs):
    return exports.logbook_pdf(
        intern=intern,
        logs=logs,
        start=datetime.date(2026, 11, 1),
        end=datetime.date(2026, 11, 30),
    )


@pytest.fixture
def photo_free(monkeypatch):
    """Unsaved logs have no photos to read."""
    monkeypatch.setattr(ActivityLog, "photos", property(lambda log: ActivityLog.objects.none()))


# With one row per log as tall as these, 5 to 8 logs fill the first page so that the closing
# totals and signatures would have the second page to themselves.
@pytest.mark.parametrize("n", [5, 6, 7, 8])
def test_the_signatures_take_the_last_rows_with_them(intern, photo_free, n):
    pages = pages_of(render(intern, logs_of(intern, n)))
    assert len(pages) == 2
    last = pages[-1]
    assert "Peserta magang" in last and "Mentor" in last
    assert re.search(r"\d{2}-11-2026 08:00", last), last
    assert sum(len(re.findall(r"\d{2}-11-2026 08:00", page)) for page in pages) == n
    assert "Halaman 2 dari 2" in last


def test_logbook_has_the_letterhead_and_the_mentor_nip(intern, mentor, photo_free):
    mentor.full_name, mentor.nip = "Siti Marlina", "198504102010012003"
    mentor.save()
    intern.mentor.refresh_from_db()
    (page,) = pages_of(render(intern, logs_of(intern, 1)))
    assert page.startswith("KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA")
    assert intern.batch.facility.name.upper() in page
    assert "Siti Marlina NIP 19850410 201001 2 003" in page
    assert "Halaman 1 dari 1" in page


def test_logbook_times_are_the_facility_s_whoever_downloads_it(intern, photo_free):
    """20:41 UTC on 1 December is 04:41 on 2 December in Balikpapan (WITA)."""
    import time_machine
    from django.utils import timezone

    with (
        time_machine.travel(datetime.datetime(2026, 12, 1, 20, 41, tzinfo=datetime.UTC)),
        timezone.override(datetime.UTC),
    ):
        (page,) = pages_of(render(intern, logs_of(intern, 1)))
    assert "Dibuat 02-12-2026 04:41" in page and "2 Desember 2026" in page
