"""Programmes and sessions for the import tests, made through the programmes services."""

import datetime

from programmes import services

D = datetime.timedelta


def programme(facility, by, **overrides):
    data = {
        "title": "Kelas Barbershop",
        "pillar": "kemandirian",
        "area": "barbershop",
        "capacity": 10,
        "start_date": facility.today() - D(days=60),
        "status": "running",
    }
    data.update(overrides)
    return services.programme_create(facility=facility, by=by, **data)


def session(programme, by, day: datetime.date, hour: int = 9):
    return services.session_create(
        programme=programme,
        by=by,
        date=day,
        start_time=datetime.time(hour),
        end_time=datetime.time(hour + 2),
    )
