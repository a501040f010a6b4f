"""Attachments of reports and responses: checked, cleaned of metadata and stored.

`attachments_prepare` is called before the transaction that creates the report (it only reads the
uploads). It works in two passes so that nothing expensive runs on a request that will be refused:

1. **Cheap checks on every file**: count and size limits; refusal of active content (SVG, HTML)
   and of *polyglots* (a file that is also a ZIP archive or carries HTML in its head, e.g. a JPEG
   with a ZIP appended); the type sniffed from the *content* (``filetype`` plus our own checks —
   the name and the declared content type are never trusted); for images, the dimensions read
   from the header (Pillow opens lazily), refused above ``LAPOR["MAX_IMAGE_PIXELS"]`` per image
   and ``LAPOR["MAX_IMAGE_PIXELS_TOTAL"]`` for all images of one submission, before any pixel is
   decoded (the "five 6300 × 6300 PNGs" request is refused from its headers).
2. **Cleaning**, one file at a time, each removing what identifies the author or runs code:

   ============================  =====================================================================
   images (JPEG, PNG, WebP, GIF) re-encoded from their pixels by Pillow: EXIF (GPS, camera, owner),
                                 XMP, comments, PNG ``tEXt``/``iTXt``/``zTXt``/``eXIf``/``tIME`` chunks
                                 are gone; the EXIF orientation is applied to the pixels
   PDF                           rewritten with pikepdf (qpdf): the document information (author,
                                 creator, producer, …), every XMP ``/Metadata`` stream and
                                 ``/PieceInfo``, JavaScript (``/Names/JavaScript``, ``/OpenAction``,
                                 ``/AA``, JavaScript/Launch/SubmitForm/ImportData actions on links,
                                 annotations and fields, XFA forms) and embedded files (``/EmbeddedFiles``,
                                 ``/EF`` of file specifications, file-attachment annotations, ``/AF``)
                                 are removed; streams are copied without decoding (no inflation of a
                                 compression bomb)
   Word/Excel/PowerPoint (OOXML) the zip is rewritten: ``docProps/core.xml`` (creator, last modified
                                 by, dates, title …) and ``docProps/custom.xml`` emptied, ``Company``,
                                 ``Manager`` and ``HyperlinkBase`` dropped from ``docProps/app.xml``;
                                 comment and revision authors, initials and user ids (``w:author``,
                                 ``people.xml``, ``commentAuthors.xml``, ``xl/persons``, comment
                                 ``<author>`` lists) replaced by ``Anonim``; an external template path
                                 dropped. Macro-enabled documents are refused
   OpenDocument (odt, ods, odp)  ``meta.xml`` emptied; ``dc:creator`` of comments and tracked changes
                                 replaced; documents with macros (``Basic/``, ``Scripts/``) or
                                 encrypted ones are refused
   video (MP4, MOV, 3GP)         the user-data and metadata boxes (``moov/udta`` with ``©xyz`` GPS,
                                 ``loci``, ``auth`` …, ``moov/meta`` with Apple's location keys, the same
                                 in each track, ``uuid`` boxes such as XMP) become ``free`` boxes of
                                 the same size with their content zeroed, so every sample offset stays
                                 valid. A track of timed metadata (GPS telemetry of action cameras,
                                 subtitles of drones) cannot be removed that way: the file is kept,
                                 marked as still carrying metadata
   legacy Word/Excel (OLE2)      kept byte for byte and marked as still carrying metadata (the
                                 author is written in several binary structures that cannot be
                                 removed reliably)
   ============================  =====================================================================

``PreparedAttachment.metadata_removed`` (and so ``Attachment.metadata_removed``) says which: an
attachment of an anonymous report that still carries metadata is never shown to the organisation
(see `lapor.reports.selectors.attachment_visible_to`). Every bad file is reported at once as
``ValidationFailed(errors=[{"field": "attachments[i]", "message": …}])``.

`attachments_store` writes the prepared files through the default storage and creates the
`Attachment` rows; call it inside the transaction that writes the report or event.

MP4 boxes are handled here rather than with a tag library: ``mutagen`` edits the iTunes
``moov/udta/meta/ilst`` list only (not ``©xyz`` directly under ``udta``, ``moov/meta`` keys or
``uuid`` boxes) and rewrites the file, moving every sample offset.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import struct
import unicodedata
import uuid
import warnings
import zipfile
from collections.abc import Iterator, Sequence
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

# defaults of the settings LAPOR["MAX_IMAGE_PIXELS"] and LAPOR["MAX_IMAGE_PIXELS_TOTAL"]: an image
# over 40 megapixels is refused (a 10 MB file can hold a "decompression bomb": a tiny PNG of
# 50,000 × 50,000 pixels would need gigabytes of memory to decode), and all images of one
# submission together may not exceed 64 megapixels (five 12-megapixel phone photos pass)
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_PIXELS_TOTAL = 64_000_000
# all frames of an animation (GIF, WebP) together
MAX_ANIMATION_PIXELS = 100_000_000
# an office document may not unpack to more than this, nor hold more entries (zip bombs)
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
ANONYMOUS_AUTHOR = "Anonim"

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
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = (
    ("WordDocument".encode("utf-16-le"), "application/msword", ".doc"),
    ("Workbook".encode("utf-16-le"), "application/vnd.ms-excel", ".xls"),
    ("Book\x00".encode("utf-16-le"), "application/vnd.ms-excel", ".xls"),
)
PDF = "application/pdf"
VIDEO_TYPES = {
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/3gpp": ".3gp",
}
_CONTENT_TYPES_MAX = 1024 * 1024


@dataclass(frozen=True)
class PreparedAttachment:
    """A checked file ready to store: ``name`` is the safe stored name; ``metadata_removed`` is
    False when the format's metadata could not be removed reliably (see the module docstring)."""

    name: str
    content_type: str
    data: bytes
    size: int
    sha256: str
    original_name: str = ""
    metadata_removed: bool = False


class _Rejected(Exception):
    pass


@dataclass(frozen=True)
class _Limits:
    count: int
    bytes: int
    pixels: int
    pixels_total: int


def _limits() -> _Limits:
    lapor = settings.LAPOR
    return _Limits(
        count=int(lapor["MAX_ATTACHMENTS"]),
        bytes=int(lapor["MAX_ATTACHMENT_BYTES"]),
        pixels=int(lapor.get("MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS)),
        pixels_total=int(lapor.get("MAX_IMAGE_PIXELS_TOTAL", MAX_IMAGE_PIXELS_TOTAL)),
    )


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


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}"


# --- active content and polyglots -------------------------------------------------------------

_HEAD = 1024
_SVG = re.compile(rb"<svg[\s>/]", re.IGNORECASE)
_HTML = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|meta\s+http-equiv)[\s>/]",
    re.IGNORECASE,
)


def _refuse_active_content(data: bytes) -> None:
    """SVG and HTML can run scripts in a browser: refused, also when hidden in another file's
    head (where old browsers' content sniffing would find it)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and _SVG.search(head):
        raise _Rejected(
            _(
                "Berkas SVG tidak diterima karena dapat memuat skrip. "
                "Kirim gambar sebagai JPEG atau PNG."
            )
        )
    if _HTML.search(data[:_HEAD]):
        raise _Rejected(
            _(
                "Berkas ini memuat kode HTML atau skrip dan tidak diterima. "
                "Kirim foto, PDF, dokumen Office atau video biasa."
            )
        )


def _is_zip(data: bytes) -> bool:
    """A ZIP reader would open it: an end-of-central-directory record whose directory entries are
    where it says (a chance match inside compressed data fails the second check)."""
    if b"PK\x05\x06" not in data[-(65536 + 22) :]:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False


def _polyglot() -> _Rejected:
    return _Rejected(
        _(
            "Berkas ini sekaligus berisi arsip ZIP (berkas poliglot) dan tidak diterima. "
            "Simpan ulang berkas aslinya lalu kirim lagi."
        )
    )


# --- sniffing --------------------------------------------------------------------------------

_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9",
    b"mp41", b"mp42", b"mp71", b"avc1", b"M4V ", b"M4VH", b"M4VP", b"f4v ", b"dash",
    b"MSNV", b"XAVC", b"NDAS", b"mmp4",
}  # fmt: skip


def _sniff_isobmff(data: bytes) -> tuple[str, str] | None:
    if len(data) < 16 or data[4:8] != b"ftyp":
        return None
    size = struct.unpack(">I", data[:4])[0]
    if size < 16 or size > min(len(data), 4096):
        return None
    major = data[8:12]
    brands = {data[i : i + 4] for i in range(16, size - 3, 4)}
    if major == b"qt  ":
        return "video/quicktime", ".mov"
    if major.startswith(b"3g"):
        return "video/3gpp", ".3gp"
    if major in _MP4_BRANDS:
        return "video/mp4", ".mp4"
    if brands & {b"isom", b"mp41", b"mp42"} and not major.startswith((b"he", b"mif", b"avi")):
        return "video/mp4", ".mp4"
    return None


def _sniff_zip(data: bytes) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if infos and infos[0].filename == "mimetype" and infos[0].file_size < 200:
                mimetype = archive.read(infos[0]).decode("ascii", "replace").strip()
                if mimetype in ODF_TYPES:
                    return mimetype, ODF_TYPES[mimetype]
                raise _Rejected(_("Jenis berkas tidak diizinkan."))
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
    video = _sniff_isobmff(data)
    if video is not None:
        return video
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind is not None else ""
    if mime in IMAGE_FORMATS:
        return mime, IMAGE_FORMATS[mime][1]
    if mime == PDF:
        return PDF, ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    raise _Rejected(_("Jenis berkas tidak diizinkan."))


# --- images ----------------------------------------------------------------------------------


def _image_pixels(data: bytes) -> int:
    """Width × height from the header; nothing is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return int(image.width) * int(image.height)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
            raise _Rejected(_("Gambar terlalu besar (bom dekompresi).")) from exc
        raise _Rejected(_("Gambar rusak atau tidak dapat dibaca.")) from exc


def _too_many_pixels(pixels: int, limit: int) -> _Rejected:
    return _Rejected(
        _(
            "Gambar terlalu besar: %(mp)s megapiksel, paling banyak %(max)s megapiksel. "
            "Perkecil gambar lalu kirim lagi."
        )
        % {"mp": _megapixels(pixels), "max": _megapixels(limit)}
    )


def _reencode_image(data: bytes, content_type: str, max_pixels: int) -> bytes:
    fmt, _ext = IMAGE_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(image.width * image.height, max_pixels)
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
            # in place: no second copy of the pixels unless the orientation needs a rotation
            ImageOps.exif_transpose(image, in_place=True)
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


# --- PDF -------------------------------------------------------------------------------------

# actions that run code, start programs or send data somewhere when a document is opened or
# touched; links (/URI, /GoTo) stay
_PDF_ACTIONS_REMOVED = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/RichMediaExecute",
    "/Rendition",
    "/Sound",
    "/Movie",
}
# keys dropped from every dictionary: metadata, code, embedded files
_PDF_KEYS_REMOVED = ("/Metadata", "/PieceInfo", "/AA", "/OpenAction", "/JS", "/EF", "/AF", "/XFA")


def _clean_pdf(data: bytes) -> bytes:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise _Rejected(
            _("PDF terkunci kata sandi tidak dapat diperiksa. Kirim PDF tanpa kata sandi.")
        ) from exc
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        raise _Rejected(_("PDF rusak atau tidak dapat dibaca.")) from exc
    try:
        with pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            names = pdf.Root.get("/Names")
            if isinstance(names, pikepdf.Dictionary):
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    if key in names:
                        del names[key]
            _pdf_scrub(pdf.Root, pikepdf)
            for obj in pdf.objects:
                _pdf_scrub(obj, pikepdf)
            out = io.BytesIO()
            pdf.save(
                out,
                preserve_pdfa=False,  # a PDF/A claim lives in the XMP metadata just removed
                fix_metadata_version=False,
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                deterministic_id=True,
            )
            return out.getvalue()
    except _Rejected:
        raise
    except (pikepdf.PdfError, ValueError, OSError, RecursionError) as exc:
        raise _Rejected(_("PDF rusak atau tidak dapat dibaca.")) from exc


def _pdf_is_removed_action(value: Any, pikepdf: Any) -> bool:
    if not isinstance(value, pikepdf.Dictionary):
        return False
    return "/JS" in value or str(value.get("/S", "")) in _PDF_ACTIONS_REMOVED


def _pdf_scrub(obj: Any, pikepdf: Any, depth: int = 0) -> None:
    """Remove metadata, actions and embedded files from one object and the direct objects inside
    it (indirect ones are visited by the caller's loop over every object)."""
    if depth > 64:
        raise _Rejected(_("PDF rusak atau tidak dapat dibaca."))
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        for key in _PDF_KEYS_REMOVED:
            if key in obj:
                del obj[key]
        if obj.get("/Subtype") == pikepdf.Name.FileAttachment and "/FS" in obj:
            del obj["/FS"]
        for key in list(obj.keys()):
            value = obj[key]
            if _pdf_is_removed_action(value, pikepdf):
                del obj[key]
            elif isinstance(value, pikepdf.Array) and key == "/Next":
                obj[key] = pikepdf.Array(
                    [item for item in value if not _pdf_is_removed_action(item, pikepdf)]
                )
            elif isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                _pdf_scrub(value, pikepdf, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            if isinstance(item, pikepdf.Dictionary | pikepdf.Array) and not item.is_indirect:
                _pdf_scrub(item, pikepdf, depth + 1)


# --- office documents ------------------------------------------------------------------------

_CORE_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_CUSTOM_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_APP_REMOVED = {"Company", "Manager", "HyperlinkBase"}
# attributes (by local name) that name a person in comments, revisions and people lists
_PERSON_ATTRIBUTES = {"author", "initials", "userId", "providerId", "displayName"}
# elements whose `name` attribute is a person (PowerPoint comment authors)
_PERSON_ELEMENTS = {"cmAuthor", "author", "person"}
# a cheap test before parsing a part: does it mention a person at all?
_PERSON_HINT = re.compile(rb"author|initials|userId|displayName|creator", re.IGNORECASE)
_TEMPLATE_REL = "relationships/attachedTemplate"


def _xml_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _xml_parse(content: bytes) -> Any:
    from lxml import etree

    try:
        return etree.fromstring(content, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise _Rejected(_("Dokumen rusak atau tidak dapat dibaca.")) from exc


def _xml_dump(root: Any) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _local(name: Any) -> str:
    text = str(name)
    return text.rsplit("}", 1)[-1]


def _anonymise_people(content: bytes) -> bytes:
    """Authors, initials and user ids in comments, revisions and people lists replaced."""
    if not _PERSON_HINT.search(content):
        return content
    root = _xml_parse(content)
    changed = False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        local = _local(element.tag)
        for attribute in list(element.attrib):
            name = _local(attribute)
            person = name in _PERSON_ATTRIBUTES or (name == "name" and local in _PERSON_ELEMENTS)
            if person:
                anonymous = name in {"author", "name", "displayName"}
                element.set(attribute, ANONYMOUS_AUTHOR if anonymous else "")
                changed = True
        if local == "presenceInfo":  # Word's link from a comment author to an account
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
                changed = True
        elif local in {"author", "creator"} and element.text and element.text.strip():
            element.text = ANONYMOUS_AUTHOR  # Excel's comment <authors>, ODF's <dc:creator>
            changed = True
        elif local == "creator-initials" and element.text:
            element.text = ""
            changed = True
    return _xml_dump(root) if changed else content


def _clean_app_properties(content: bytes) -> bytes:
    root = _xml_parse(content)
    for element in list(root):
        if isinstance(element.tag, str) and _local(element.tag) in _APP_REMOVED:
            root.remove(element)
    return _xml_dump(root)


def _clean_relationships(content: bytes) -> bytes:
    """An attached template's external path (``C:\\Users\\<name>\\…``) is dropped."""
    if _TEMPLATE_REL.encode() not in content:
        return content
    root = _xml_parse(content)
    for element in list(root):
        if str(element.get("Type", "")).endswith(_TEMPLATE_REL):
            element.set("Target", "")
    return _xml_dump(root)


def _odf_meta_empty(content: bytes) -> bytes:
    version = "1.2"
    with contextlib.suppress(_Rejected):
        version = _xml_parse(content).get(f"{{{_ODF_OFFICE}}}version") or version
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office="{_ODF_OFFICE}" '
        f'office:version="{version}"><office:meta/></office:document-meta>'
    ).encode()


def _zip_entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise _Rejected(_("Dokumen terlalu besar setelah dibuka (bom zip)."))
    for info in infos:
        if info.flag_bits & 0x1:
            raise _Rejected(_("Dokumen terkunci kata sandi tidak dapat diperiksa."))
    return infos


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """An entry's bytes, never more than its declared size (a lying header cannot inflate)."""
    with archive.open(info) as handle:
        content = handle.read(info.file_size + 1)
    if len(content) > info.file_size:
        raise _Rejected(_("Dokumen rusak atau tidak dapat dibaca."))
    return content


def _clean_office(data: bytes, content_type: str) -> bytes:
    odf = content_type in ODF_TYPES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            infos = _zip_entries(source)
            names = {info.filename for info in infos}
            if any(n.lower().endswith("vbaproject.bin") for n in names) or (
                odf and any(n.startswith(("Basic/", "Scripts/")) for n in names)
            ):
                raise _Rejected(_("Dokumen Office dengan makro tidak diizinkan."))
            if odf and "META-INF/manifest.xml" in names:
                manifest = _read_bounded(source, source.getinfo("META-INF/manifest.xml"))
                if b"encryption-data" in manifest:
                    raise _Rejected(_("Dokumen terkunci kata sandi tidak dapat diperiksa."))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as target:
                for info in infos:
                    content = _read_bounded(source, info)
                    content = _clean_office_part(info.filename, content, odf=odf)
                    copy = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                    copy.compress_type = info.compress_type
                    copy.external_attr = info.external_attr
                    target.writestr(copy, content)
            return out.getvalue()
    except _Rejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, EOFError) as exc:
        raise _Rejected(_("Dokumen rusak atau tidak dapat dibaca.")) from exc
    except NotImplementedError as exc:  # an unknown compression method
        raise _Rejected(_("Dokumen rusak atau tidak dapat dibaca.")) from exc


def _clean_office_part(name: str, content: bytes, *, odf: bool) -> bytes:
    if odf:
        if name == "meta.xml":
            return _odf_meta_empty(content)
        if name.endswith(".xml") and not name.startswith("META-INF/"):
            return _anonymise_people(content)
        return content
    if name == "docProps/core.xml":
        return _CORE_EMPTY
    if name == "docProps/custom.xml":
        return _CUSTOM_EMPTY
    if name == "docProps/app.xml":
        return _clean_app_properties(content)
    if name.endswith(".rels"):
        return _clean_relationships(content)
    if name.endswith(".xml") and name != "[Content_Types].xml":
        return _anonymise_people(content)
    return content


# --- video (ISO base media: MP4, MOV, 3GP) ---------------------------------------------------

# boxes that hold user data or metadata, wherever they are in the tree walked below
_VIDEO_METADATA_BOXES = {b"udta", b"meta", b"uuid", b"XMP_", b"ID32"}
# boxes walked into: the movie, its tracks and the track's media description
_VIDEO_CONTAINERS = {b"moov", b"trak", b"mdia", b"moof", b"traf"}
# track handlers that carry only picture, sound or time codes; any other (timed metadata
# `meta`, subtitles/text `text`/`sbtl`/`subt`, …) may carry a GPS trace in its samples
_VIDEO_SAFE_HANDLERS = {b"vide", b"soun", b"tmcd", b"hint"}
_MAX_BOXES = 100_000


@dataclass
class _Box:
    start: int
    header: int
    end: int
    kind: bytes


def _boxes(data: bytearray, start: int, end: int, counter: list[int]) -> Iterator[_Box]:
    position = start
    while position < end:
        counter[0] += 1
        if counter[0] > _MAX_BOXES or end - position < 8:
            raise _Rejected(_("Video rusak atau tidak dapat dibaca."))
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        header = 8
        if size == 1:
            if end - position < 16:
                raise _Rejected(_("Video rusak atau tidak dapat dibaca."))
            size = struct.unpack(">Q", data[position + 8 : position + 16])[0]
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise _Rejected(_("Video rusak atau tidak dapat dibaca."))
        yield _Box(position, header, position + size, kind)
        position += size


def _neutralise(data: bytearray, box: _Box) -> None:
    """The box becomes `free` (ignored by every player), its content zeroed, its size kept."""
    data[box.start + 4 : box.start + 8] = b"free"
    data[box.start + box.header : box.end] = bytes(box.end - box.start - box.header)


def _clean_video(data: bytes) -> tuple[bytes, bool]:
    """``(cleaned bytes, metadata_removed)``."""
    buffer = bytearray(data)
    counter = [0]
    found = {"movie": False, "other_track": False}

    def walk(start: int, end: int, parent: bytes) -> None:
        for box in _boxes(buffer, start, end, counter):
            if box.kind in _VIDEO_METADATA_BOXES:
                _neutralise(buffer, box)
            elif box.kind == b"moov" and parent == b"":
                found["movie"] = True
                walk(box.start + box.header, box.end, box.kind)
            elif box.kind in _VIDEO_CONTAINERS and parent != b"":
                walk(box.start + box.header, box.end, box.kind)
            elif box.kind == b"hdlr" and parent == b"mdia":
                # the track's handler: version/flags, pre-defined, then the handler type
                payload = box.start + box.header
                if bytes(buffer[payload + 8 : payload + 12]) not in _VIDEO_SAFE_HANDLERS:
                    found["other_track"] = True

    walk(0, len(buffer), b"")
    if not found["movie"]:
        raise _Rejected(_("Video rusak atau tidak dapat dibaca."))
    return bytes(buffer), not found["other_track"]


# --- the two passes ---------------------------------------------------------------------------


@dataclass
class _Checked:
    data: bytes
    content_type: str
    ext: str
    original_name: str
    pixels: int = 0


def _check_one(upload: UploadedFile, limits: _Limits) -> _Checked:
    too_big = _("Berkas terlalu besar (paling besar %(mb)d MB).") % {
        "mb": limits.bytes // (1024 * 1024)
    }
    if (upload.size or 0) > limits.bytes:
        raise _Rejected(too_big)
    data = _read(upload)
    if len(data) > limits.bytes:
        raise _Rejected(too_big)
    if not data:
        raise _Rejected(_("Berkas kosong."))
    _refuse_active_content(data)
    content_type, ext = _sniff(data)
    if not data.startswith(b"PK\x03\x04") and _is_zip(data):
        raise _polyglot()
    checked = _Checked(data, content_type, ext, clean_original_name(upload.name))
    if content_type in IMAGE_FORMATS:
        checked.pixels = _image_pixels(data)
        if checked.pixels > limits.pixels:
            raise _too_many_pixels(checked.pixels, limits.pixels)
    return checked


def _clean_one(checked: _Checked, limits: _Limits) -> PreparedAttachment:
    data, content_type = checked.data, checked.content_type
    removed = True
    if content_type in IMAGE_FORMATS:
        data = _reencode_image(data, content_type, limits.pixels)
    elif content_type == PDF:
        data = _clean_pdf(data)
    elif content_type in ODF_TYPES or content_type in {t for t, _e in OOXML_MAIN_TYPES.values()}:
        data = _clean_office(data, content_type)
    elif content_type in VIDEO_TYPES:
        data, removed = _clean_video(data)
    else:  # legacy OLE2 Word/Excel
        removed = False
    return PreparedAttachment(
        name=f"{uuid.uuid4().hex}{checked.ext}",
        content_type=content_type,
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=checked.original_name,
        metadata_removed=removed,
    )


def attachments_prepare(files: Sequence[UploadedFile]) -> list[PreparedAttachment]:
    """Check, sniff and clean uploaded files; raise `ValidationFailed` naming every bad one.

    Nothing is decoded or rewritten until every file passed the cheap checks (sizes, types,
    image dimensions from the headers, the pixel budget of the whole submission)."""
    limits = _limits()
    errors: list[dict[str, str]] = []
    checked: list[tuple[str, _Checked]] = []
    pixels_total = 0
    for index, upload in enumerate(files):
        field = f"attachments[{index}]"
        if index >= limits.count:
            errors.append(
                {
                    "field": field,
                    "message": _("Paling banyak %(n)d lampiran.") % {"n": limits.count},
                }
            )
            continue
        try:
            item = _check_one(upload, limits)
        except _Rejected as exc:
            errors.append({"field": field, "message": str(exc)})
            continue
        pixels_total += item.pixels
        if item.pixels and pixels_total > limits.pixels_total:
            errors.append(
                {
                    "field": field,
                    "message": _(
                        "Gambar dalam satu kiriman terlalu besar bersama-sama (%(mp)s megapiksel; "
                        "paling banyak %(max)s). Kirim lebih sedikit gambar atau perkecil ukurannya."
                    )
                    % {
                        "mp": _megapixels(pixels_total),
                        "max": _megapixels(limits.pixels_total),
                    },
                }
            )
            continue
        checked.append((field, item))
    prepared: list[PreparedAttachment] = []
    if not errors:
        for field, item in checked:
            try:
                prepared.append(_clean_one(item, limits))
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
                metadata_removed=item.metadata_removed,
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
