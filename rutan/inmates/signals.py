"""Sent inside the transaction of the inmate services, so receivers' writes are atomic with
the transfer or release (e.g. programmes end the inmate's enrolments)."""

from django.dispatch import Signal

# kwargs: inmate, on (date), by (user), reason ("transferred" | "released")
inmate_left_facility = Signal()
