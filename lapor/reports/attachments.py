"""Attachments of reports and responses: checked, cleaned and stored.

`attachments_prepare` is called before the transaction that creates the report (it only reads the
uploads): it checks the count and sizes, sniffs each file's type from its *content* (``filetype``
plus our own checks — the name and the declared content type are never trusted), re-encodes images
with Pillow so that EXIF metadata (GPS position, camera, owner) is dropped while the orientation is
applied to the pixels, and gives each file a safe random stored name. Every bad file is reported
at once as ``ValidationFailed(errors=[{"field": "attachments[i]", "message": …}])``.

`attachments_store` writes the prepared files through the default storage and creates the
`Attachment` rows; call it inside the transaction that writes the report or event.

Accepted: JPEG, PNG, WebP, GIF (re-encoded); PDF; Word/Excel/PowerPoint (OOXML ``docx``,
``xlsx``, ``pptx`` — the zip's ``[Content_Types].xml`` must name the main document part; macro-
enabled variants are refused); legacy Word/Excel (OLE2 compound files whose directory names the
``WordDocument`` or ``Workbook`` stream); MP4 video.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import unicodedata
import uuid
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from lapor.core.errors import ValidationFailed

from .models import Attachment

if TYPE_CHECKING:
    from lapor.accounts.models import User

    from .models import Event, Report

# an image over this many pixels is refused (a 10 MB file can hold a "decompression bomb":
# a tiny PNG of 50,000 × 50,000 pixels would need gigabytes of memory to decode)
MAX_IMAGE_PIXELS = 40_000_000
# all frames of an animation (GIF, WebP) together
MAX_ANIMATION_PIXELS = 100_000_000

IMAGE_FORMATS = {
    "image/jpeg": ("JPEG", ".jpg"),
    "image/png": ("PNG", ".png"),
    "image/webp": ("WEBP", ".webp"),
    "image/gif": ("GIF", ".gif"),
}
OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = (
    ("WordDocument".encode("utf-16-le"), "application/msword", ".doc"),
    ("Workbook".encode("utf-16-le"), "application/vnd.ms-excel", ".xls"),
    ("Book\x00".encode("utf-16-le"), "application/vnd.ms-excel", ".xls"),
)
OTHER_TYPES = {
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
}
_CONTENT_TYPES_MAX = 1024 * 1024


@dataclass(frozen=True)
class PreparedAttachment:
    """A checked file ready to store: ``name`` is the safe stored name."""

    name: str
    content_type: str
    data: bytes
    size: int
    sha256: str
    original_name: str = ""


class _Rejected(Exception):
    pass


def _limits() -> tuple[int, int]:
    lapor = settings.LAPOR
    return int(lapor["MAX_ATTACHMENTS"]), int(lapor["MAX_ATTACHMENT_BYTES"])


def _read(upload: UploadedFile) -> bytes:
    upload.seek(0)
    return upload.read()


def clean_original_name(name: str | None) -> str:
    """The uploaded name without directories or control characters, at most 255 characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(
        c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C"
    )
    base = base.strip().strip(".") or "berkas"
    if len(base) > 255:
        stem, ext = os.path.splitext(base)
        base = stem[: 255 - len(ext[:16])] + ext[:16]
    return base


def _reencode_image(data: bytes, content_type: str) -> bytes:
    fmt, _ext = IMAGE_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _Rejected(
                    _("Gambar terlalu besar (%(px)s piksel; paling banyak %(max)s).")
                    % {"px": f"{image.width * image.height:,}", "max": f"{MAX_IMAGE_PIXELS:,}"}
                )
            frames = getattr(image, "n_frames", 1)
            out = io.BytesIO()
            if frames > 1:
                if image.width * image.height * frames > MAX_ANIMATION_PIXELS:
                    raise _Rejected(_("Animasi terlalu besar."))
                # animations: each frame copied without its metadata, timing kept
                copies, durations = [], []
                for frame in ImageSequence.Iterator(image):
                    durations.append(frame.info.get("duration", 100))
                    copy = frame.copy()
                    copy.info = {}
                    copies.append(copy)
                copies[0].save(
                    out,
                    format=fmt,
                    save_all=True,
                    append_images=copies[1:],
                    duration=durations,
                    loop=image.info.get("loop", 0),
                )
                return out.getvalue()
            image.load()
            upright: Image.Image = ImageOps.exif_transpose(image) or image
    except _Rejected:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise _Rejected(_("Gambar rusak atau tidak dapat dibaca.")) from exc
    image = upright
    params: dict[str, Any] = {}
    icc = image.info.get("icc_profile")
    if icc:
        params["icc_profile"] = icc
    transparency = image.info.get("transparency")
    # Pillow writes some metadata found in `info` by default (a JPEG comment, for one): drop all
    image.info = {}
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        params.update(quality=90, optimize=True)
    elif fmt == "WEBP":
        params.update(quality=90)
    elif fmt in ("GIF", "PNG") and transparency is not None:
        params["transparency"] = transparency
    # no `exif=` and no PNG text chunks: the new file carries pixels (and colour profile) only
    image.save(out, format=fmt, **params)
    return out.getvalue()


def _sniff_zip(data: bytes) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX:
                raise _Rejected(_("Dokumen Office tidak valid."))
            types = archive.read(info).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError) as exc:
        raise _Rejected(_("Jenis berkas tidak diizinkan.")) from exc
    if "macroEnabled" in types:
        raise _Rejected(_("Dokumen Office dengan makro tidak diizinkan."))
    for main, (content_type, ext) in OOXML_MAIN_TYPES.items():
        if f'ContentType="{main}"' in types:
            return content_type, ext
    raise _Rejected(_("Jenis berkas tidak diizinkan."))


def _sniff(data: bytes) -> tuple[str, str]:
    """``(content_type, extension)`` from the bytes, or `_Rejected`."""
    if data.startswith(OLE_MAGIC):
        for marker, content_type, ext in _OLE_STREAMS:
            if marker in data:
                return content_type, ext
        raise _Rejected(_("Jenis berkas tidak diizinkan."))
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind is not None else ""
    if mime in IMAGE_FORMATS:
        return mime, IMAGE_FORMATS[mime][1]
    if mime in OTHER_TYPES:
        return mime, OTHER_TYPES[mime]
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    raise _Rejected(_("Jenis berkas tidak diizinkan."))


def _prepare_one(upload: UploadedFile, max_bytes: int) -> PreparedAttachment:
    if (upload.size or 0) > max_bytes:
        raise _Rejected(
            _("Berkas terlalu besar (paling besar %(mb)d MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    data = _read(upload)
    if len(data) > max_bytes:
        raise _Rejected(
            _("Berkas terlalu besar (paling besar %(mb)d MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise _Rejected(_("Berkas kosong."))
    content_type, ext = _sniff(data)
    if content_type in IMAGE_FORMATS:
        data = _reencode_image(data, content_type)
    return PreparedAttachment(
        name=f"{uuid.uuid4().hex}{ext}",
        content_type=content_type,
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=clean_original_name(upload.name),
    )


def attachments_prepare(files: Sequence[UploadedFile]) -> list[PreparedAttachment]:
    """Check, sniff and clean uploaded files; raise `ValidationFailed` naming every bad one."""
    max_count, max_bytes = _limits()
    errors: list[dict[str, str]] = []
    prepared: list[PreparedAttachment] = []
    for index, upload in enumerate(files):
        field = f"attachments[{index}]"
        if index >= max_count:
            errors.append(
                {
                    "field": field,
                    "message": _("Paling banyak %(n)d lampiran.") % {"n": max_count},
                }
            )
            continue
        try:
            prepared.append(_prepare_one(upload, max_bytes))
        except _Rejected as exc:
            errors.append({"field": field, "message": str(exc)})
    if errors:
        raise ValidationFailed(_("Lampiran tidak dapat diterima."), errors=errors)
    return prepared


def attachments_store(
    *,
    report: Report,
    event: Event | None,
    prepared: Sequence[PreparedAttachment],
    uploaded_by: User | None,
) -> list[Attachment]:
    """Write the files to the default storage and create their `Attachment` rows.

    Call inside the transaction that writes the report/event. Files are written under random names
    before the rows; if the insert fails they are deleted again (a rollback later in the caller's
    transaction leaves unreferenced files, which are harmless and never served).
    """
    rows: list[Attachment] = []
    written: list[str] = []
    try:
        for item in prepared:
            attachment = Attachment(
                report=report,
                event=event,
                original_name=item.original_name or item.name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                uploaded_by=uploaded_by,
            )
            attachment.file.save(item.name, ContentFile(item.data), save=False)
            written.append(str(attachment.file.name))
            rows.append(attachment)
        created = Attachment.objects.bulk_create(rows)
    except BaseException:
        _delete_files(written)
        raise
    return created


def _delete_files(names: Sequence[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        with contextlib.suppress(OSError):  # best effort
            default_storage.delete(name)
