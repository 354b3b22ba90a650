"""Sent inside the transaction of the inmate services, so receivers' writes are atomic with
the transfer or release (e.g. programmes end the inmate's enrolments)."""

from django.dispatch import Signal

# kwargs: inmate, on (date), by (user), reason ("transferred" | "released")
inmate_left_facility = Signal()

# kwargs: inmate (already anonymised, in the same transaction), by (user or None).
# Sent by `inmate_anonymise`: each app replaces the personal data it holds about the inmate
# (free text, names, identity numbers, files) by REDACTION_MARK, history tables included,
# and returns an `Anonymised` (rutan.inmates.services.privacy) saying what it did, so the
# audit snapshots lose the same values.
inmate_anonymising = Signal()
