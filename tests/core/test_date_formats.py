"""One date format per context: `j F Y` ("4 Desember 2026") in prose and headings,
`d-m-Y` ("04-12-2026") in tables and lists, in both languages."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

PROSE = {"j F Y", "j F Y H:i", "l, j F Y", "F Y", "DATE_FORMAT", "DATETIME_FORMAT"}
TABLE = {"d-m-Y", "d-m-Y H:i", "D d-m-Y", "D d-m", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"}
USED = re.compile(r'\|date:"([^"]*)"')


def test_templates_use_only_the_two_date_styles():
    base = Path(settings.BASE_DIR)
    found = {}
    for path in base.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for fmt in USED.findall(path.read_text()):
            found.setdefault(fmt, str(path.relative_to(base)))
    assert {fmt: where for fmt, where in found.items() if fmt not in PROSE | TABLE} == {}


def test_short_dates_are_day_month_year_in_both_languages():
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }} / {{ d|date:"DATE_FORMAT" }}')
    context = Context({"d": datetime.date(2026, 12, 4)})
    with translation.override("id"):
        assert template.render(context) == "04-12-2026 / 4 Desember 2026"
    with translation.override("en"):
        assert template.render(context) == "04-12-2026 / 4 December 2026"


def test_an_audit_entry_names_itself_in_the_reader_s_time_and_language(db):
    import zoneinfo

    from django.utils import timezone

    from rutan.core.models import AuditAction, AuditEntry

    entry = AuditEntry(
        at=datetime.datetime(2026, 12, 4, 19, 43, tzinfo=datetime.UTC),
        action=AuditAction.READ,
        object_type="partners.partner",
        object_id="1",
    )
    with timezone.override(zoneinfo.ZoneInfo("Asia/Makassar")), translation.override("id"):
        assert str(entry) == "05-12-2026 03:43 baca mitra #1"
