"""Database constraints hold even when the service is bypassed."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from rutan.inmates.models import Inmate, Placement
from tests.factories import inmate_data


def test_registration_number_unique_per_facility(balikpapan, ruteng, make_inmate):
    make_inmate(balikpapan, registration_number="BI.0100/2025")
    # The same number at another facility is fine.
    make_inmate(ruteng, registration_number="BI.0100/2025")
    with pytest.raises(IntegrityError), transaction.atomic():
        Inmate.objects.create(
            facility=balikpapan, **inmate_data(registration_number="BI.0100/2025")
        )


def test_release_not_before_admission(balikpapan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Inmate.objects.create(
            facility=balikpapan, released_on=datetime.date(2024, 12, 1), **inmate_data()
        )


def test_only_one_open_placement(balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            inmate=inmate,
            facility=balikpapan,
            start_date=datetime.date(2025, 2, 1),
            start_reason="block_move",
        )


def test_placement_dates_in_order(balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            inmate=inmate,
            facility=balikpapan,
            start_date=datetime.date(2025, 2, 1),
            end_date=datetime.date(2025, 1, 1),
            start_reason="block_move",
            end_reason="block_move",
        )
