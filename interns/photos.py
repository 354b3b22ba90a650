"""Checking and cleaning activity photos before anything is stored."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 5
MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
# Refuse decompression bombs well below Pillow's own warning threshold.
MAX_PIXELS = 40_000_000


@dataclass
class CleanPhoto:
    content: bytes
    width: int
    height: int


def clean_photo(upload) -> CleanPhoto:
    """Return the photo re-encoded as JPEG: content-checked, at most 1600 px, without EXIF/GPS.

    Raise ValidationError (Indonesian) for anything that is not a usable image.
    """
    name = getattr(upload, "name", "") or _("foto")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s terlalu besar (maksimal 8 MB per foto).") % {"name": name},
            code="too_large",
        )
    try:
        upload.seek(0)
        probe = Image.open(upload)
        image_format = probe.format
        probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(
                _("%(name)s beresolusi terlalu besar.") % {"name": name}, code="too_many_pixels"
            )
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("%(name)s bukan berkas gambar yang dapat dibaca.") % {"name": name},
            code="not_image",
        ) from exc
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(name)s harus berupa foto JPEG, PNG atau WebP.") % {"name": name},
            code="format",
        )
    # Apply the camera's rotation first: the EXIF that carries it is dropped below.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(content=out.getvalue(), width=clean.width, height=clean.height)
