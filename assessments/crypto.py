"""Field encryption for confidential text (Fernet, keys from settings.FIELD_ENCRYPTION_KEY).

Several comma-separated keys may be given, newest first: new text is encrypted with the first,
old text still decrypts with any of them (key rotation).
"""

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not a valid Fernet key.") from exc


def encrypt(text: str) -> str:
    """Return the Fernet token of `text` ('' stays '')."""
    if not text:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """Return the plain text of a token; a token no key opens raises ImproperlyConfigured."""
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A confidential field cannot be decrypted with FIELD_ENCRYPTION_KEY."
        ) from exc


def encrypt_json(value) -> str:
    """Return the Fernet token of a JSON value (an empty value stays '')."""
    return encrypt(json.dumps(value, ensure_ascii=False)) if value else ""


def decrypt_json(token: str, empty=None):
    """Return the JSON value of a token from `encrypt_json` ('' gives `empty`)."""
    return json.loads(decrypt(token)) if token else empty
