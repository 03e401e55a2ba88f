"""The file storage (docs/adr/0005-files-on-django-storage.md): the file system at MEDIA_ROOT,
or S3-compatible object storage through django-storages when ``S3_BUCKET`` names a bucket."""

from __future__ import annotations

from typing import Any

import environ


def object_storage(env: environ.Env) -> dict[str, Any] | None:
    """The ``STORAGES["default"]`` entry for S3-compatible object storage, or ``None`` when
    no bucket is named. Objects are private (the bucket's own policy; no public ACL), never
    overwritten, and named at random by the models. Credentials come from the environment
    or, when not set there, from the host (an instance role). A download or an import reads
    the object into a temporary file that spills to disk past ``S3_MAX_MEMORY_BYTES``, so a
    large file is never held whole in memory."""
    bucket = env.str("S3_BUCKET", default="")
    if not bucket:
        return None
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket,
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "location": env.str("S3_PREFIX", default=""),
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "max_memory_size": env.int("S3_MAX_MEMORY_BYTES", default=5 * 1024 * 1024),
    }}
