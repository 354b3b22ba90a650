from celery import shared_task

from . import services


@shared_task(name="partners.expire_agreements")
def expire_agreements() -> int:
    """Daily: mark agreements past their end date as expired."""
    return services.agreements_expire_due()


@shared_task(name="partners.send_expiry_alerts")
def send_expiry_alerts() -> int:
    """Daily: e-mail facility heads about agreements ending within 60 and 30 days."""
    return services.agreement_alerts_send()
