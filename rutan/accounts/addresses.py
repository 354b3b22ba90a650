"""The client's address, read one way for the lockout (axes) and the throttles."""

from django.conf import settings


def client_ip(request) -> str | None:
    """Return the address of the client that sent `request`.

    With `TRUSTED_PROXY_COUNT = 0` that is REMOTE_ADDR and X-Forwarded-For is ignored (a
    client could write anything there). Behind N trusted proxies it is the N-th address from
    the right of X-Forwarded-For: each proxy appends the address it received from, so the
    entries left of that are the client's own and never trusted. The same rule as DRF's
    `NUM_PROXIES`, which the settings set to the same count.
    """
    meta = request.META
    remote = meta.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(count, len(hops))]
