"""The English catalogue is complete: Indonesian is the source language, English must follow."""

import re
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


@pytest.fixture(scope="module")
def catalogue():
    # polib keeps the header (msgid "") as metadata, not as an entry; obsolete (#~) entries
    # are left out below: they are no longer used.
    return polib.pofile(str(CATALOGUE))


def _where(entry) -> str:
    place = f"{entry.occurrences[0][0]}:{entry.occurrences[0][1]}" if entry.occurrences else "?"
    return f"{place} {entry.msgid!r}"


def test_every_english_entry_is_translated(catalogue):
    missing = [_where(e) for e in catalogue.untranslated_entries()]
    assert not missing, f"{len(missing)} untranslated in {CATALOGUE.name}:\n" + "\n".join(missing)


def test_no_english_entry_is_fuzzy(catalogue):
    fuzzy = [_where(e) for e in catalogue.fuzzy_entries()]
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {CATALOGUE.name}:\n" + "\n".join(fuzzy)


def test_translations_keep_their_placeholders(catalogue):
    """A dropped or misspelt %(name)s breaks the page (or the message) at run time."""
    wrong = []
    for entry in catalogue:
        if entry.obsolete or "python-format" not in entry.flags or not entry.translated():
            continue
        if entry.msgid_plural:
            # The singular may say "one" instead of the number; the plural keeps them all.
            singular = set(PLACEHOLDER.findall(entry.msgstr_plural[0]))
            plural = sorted(PLACEHOLDER.findall(entry.msgstr_plural[1]))
            ok = singular <= set(PLACEHOLDER.findall(entry.msgid)) and plural == sorted(
                PLACEHOLDER.findall(entry.msgid_plural)
            )
            text = entry.msgstr_plural[1]
        else:
            text = entry.msgstr
            ok = sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid))
        if not ok:
            wrong.append(f"{_where(entry)} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_third_party_admin_pages_speak_indonesian(client, kepala):
    """django-import-export ships no Indonesian; our catalogue supplies it."""
    from django.urls import reverse

    client.force_login(kepala)
    html = client.get(reverse("admin:partners_agreement_export")).content.decode()
    assert "Ekspor" in html and "Pilih semua" in html
