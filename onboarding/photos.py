"""The applicant's photo: what an upload must be, how it is cleaned, where it is kept, and
who may see it.

An upload is never kept as sent. :func:`read_photo` checks its size and, from the header alone,
its pixel count (Wagtail's ``WAGTAILIMAGES_MAX_UPLOAD_SIZE`` and
``WAGTAILIMAGES_MAX_IMAGE_PIXELS``), then decodes it, turns it upright and re-encodes it as a
JPEG: the EXIF data (GPS position, camera) and any bytes hidden after the picture are gone.
:func:`store_photo` keeps that JPEG in the private storage under a random name; it is not a
Wagtail image, so no image chooser lists it. It is seen only through :func:`photo_url`, the view
:func:`onboarding.photo_views.case_photo`, by the learner or an operator allowed to see cases.
The seller page shows :func:`publication_copy`, a smaller copy made for the public.
"""

from __future__ import annotations

import io
import logging
import warnings
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps

from maalem.core.private_files import PrivateFile, private_storage, random_name

from .models import OnboardingCase
from .sizes import file_size_words

logger = logging.getLogger(__name__)

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_FOLDER = "onboarding/photos"
#: The longest side of the kept original, and of the copy published on the seller page.
ORIGINAL_MAX_SIDE = 2048
PUBLIC_MAX_SIDE = 1200
JPEG_QUALITY = 85

_CLEANED = "_maalem_cleaned_photo"

NOT_A_PHOTO = _("This file is not a photo we can use. Send a JPEG, PNG or WebP photo.")
TOO_BIG = _("This photo is too big (%(size)s). Send a photo smaller than %(limit)s.")
TOO_MANY_PIXELS = _(
    "This photo has too many pixels for us to open. Send a smaller copy of it, or take it "
    "again with a lower resolution."
)


def photo_max_size() -> int:
    """The largest upload, in bytes: Wagtail's ``WAGTAILIMAGES_MAX_UPLOAD_SIZE``."""
    return int(getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024))


def photo_max_pixels() -> int:
    """The most pixels a photo may have: Wagtail's ``WAGTAILIMAGES_MAX_IMAGE_PIXELS``."""
    return int(getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000))


def too_big(size: int) -> ValidationError:
    return ValidationError(
        TOO_BIG,
        code="photo_too_big",
        params={"size": file_size_words(size), "limit": file_size_words(photo_max_size())},
    )


def read_photo(upload: Any) -> bytes:
    """The upload as a clean JPEG, or ``ValidationError`` saying what is wrong with it.

    Nothing is decoded before the size and the pixel count (read from the header) are known
    to be within the limits, so a small file that unpacks into a huge picture costs nothing.
    """
    cleaned = getattr(upload, _CLEANED, None)
    if cleaned is not None:
        return bytes(cleaned)
    size = getattr(upload, "size", None) or 0
    if size > photo_max_size():
        raise too_big(size)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Past Pillow's own threshold it warns; the pixel limit below refuses the photo.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            image = PILImage.open(upload)
        with image:
            if image.format not in PHOTO_FORMATS:
                raise ValidationError(NOT_A_PHOTO, code="photo_format")
            width, height = image.size
            if width * height > photo_max_pixels():
                raise ValidationError(TOO_MANY_PIXELS, code="photo_pixels")
            data = _reencode(image, ORIGINAL_MAX_SIDE)
    except PILImage.DecompressionBombError as error:
        raise ValidationError(TOO_MANY_PIXELS, code="photo_pixels") from error
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001  Pillow raises many kinds of errors on a bad file.
        raise ValidationError(NOT_A_PHOTO, code="photo_format") from error
    finally:
        upload.seek(0)
    setattr(upload, _CLEANED, data)
    return data


def _reencode(image: PILImage.Image, max_side: int) -> bytes:
    """``image`` upright, flattened on white, at most ``max_side`` wide and high, as a JPEG
    with no metadata."""
    if image.format == "JPEG":
        # Decode at a reduced scale when the photo is far larger than what is kept.
        image.draft("RGB", (max_side, max_side))
    image.load()
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = PILImage.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    else:
        upright = upright.convert("RGB")
    upright.thumbnail((max_side, max_side), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif, no icc_profile, no comment: only the pixels are kept.
    upright.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def check_photo(upload: UploadedFile) -> None:
    """The form field's validator: refuse what :func:`read_photo` refuses."""
    read_photo(upload)


def store_photo(case: OnboardingCase, upload: Any, learner: Any = None) -> str:
    """Keep the cleaned photo in the private storage; return its stored name, the value of
    ``ApplicantProfile.photo``. The name is random: nothing of the file's own name is kept."""
    name = private_storage().save(random_name(PHOTO_FOLDER, "jpg"), ContentFile(read_photo(upload)))
    logger.info("case %s: applicant photo stored", case.pk)
    return name


def forget_after_commit(old_name: str, kept_name: str = "") -> None:
    """Delete a replaced photo once the change that replaced it is committed."""
    if old_name and old_name != kept_name:
        transaction.on_commit(lambda: private_storage().delete(old_name))


def publication_copy(name: str) -> bytes:
    """A copy of the stored photo ``name`` made for the seller's public page: smaller, with no
    metadata. The same photo always gives the same bytes, so it is made again only when the
    photo changed."""
    with private_storage().open(name, "rb") as stored:
        return copy_for_publication(stored)


def copy_for_publication(photo: Any) -> bytes:
    """The public copy of an already accepted photo, read from a file object."""
    with PILImage.open(photo) as image:
        return _reencode(image, PUBLIC_MAX_SIDE)


# -- Who sees it ------------------------------------------------------------------------------

PHOTO_KIND = "onboarding.photo"
VIEW_CASES_PERMISSION = "maalem_onboarding.view_onboardingcase"


def photo_url(case: OnboardingCase | int) -> str | None:
    """Where the learner, or an operator allowed to see cases, sees the case's photo; ``None``
    when there is none. Use it in ``<img src>`` or a link: the address itself grants nothing."""
    from .models import ApplicantProfile

    case_id = case if isinstance(case, int) else case.pk
    name = ApplicantProfile.objects.filter(case_id=case_id).values_list("photo", flat=True).first()
    return reverse("onboarding_learner:case_photo", args=[case_id]) if name else None


def may_see_photo(user: Any, case: OnboardingCase) -> bool:
    """The learner herself, or an operator holding the permission to view cases."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(case.learner_id == user.pk or user.has_perm(VIEW_CASES_PERMISSION))


def served_photo(case: OnboardingCase, name: str) -> PrivateFile:
    return PrivateFile(
        name=name,
        kind=PHOTO_KIND,
        object_ref=str(case.pk),
        content_type="image/jpeg",
        download_name=f"case-{case.pk}-photo.jpg",
    )
