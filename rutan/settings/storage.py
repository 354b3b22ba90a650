"""Where private media lives, chosen by PRIVATE_STORAGE: ``local`` (default: MEDIA_ROOT on
disk) or ``s3`` (any S3-compatible object store, through django-storages)."""

import environ


def private_storage(env: environ.Env) -> dict:
    kind = env("PRIVATE_STORAGE", default="local").lower()
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise environ.ImproperlyConfigured(f"PRIVATE_STORAGE must be local or s3, not {kind!r}")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default=""),
            # Private: no public ACL, only short-lived signed URLs, never overwrite a file.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("S3_URL_EXPIRE_SECONDS", default=300),
            "file_overwrite": False,
        },
    }
