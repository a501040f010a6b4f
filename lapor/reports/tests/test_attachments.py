"""Attachments: count and size limits, content sniffing, EXIF/GPS stripping, storage."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from PIL import ExifTags, Image

from lapor.accounts.tests.factories import UserFactory
from lapor.core.errors import ValidationFailed
from lapor.reports.attachments import (
    MAX_IMAGE_PIXELS,
    PreparedAttachment,
    attachments_prepare,
    attachments_store,
    clean_original_name,
)
from lapor.reports.models import Attachment, Report

GPS = ExifTags.IFD.GPSInfo


def _photo_with_gps(fmt: str = "JPEG", size=(40, 20), orientation: int = 6) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.putpixel((0, 0), (0, 0, 255))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "KameraWarga"
    exif[ExifTags.Base.Artist] = "Budi Santoso"
    gps = exif.get_ifd(GPS)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (7.0, 15.0, 30.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (112.0, 45.0, 10.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def _upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _zip(entries: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return out.getvalue()


def _content_types(main: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/main.xml" ContentType="{main}"/></Types>'
    )


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Rekap pengaduan"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


PDF = _pdf()
MP4 = (
    b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    + b"\x00\x00\x00\x10moov\x00\x00\x00\x08free"
    + b"\x00\x00\x00\x08free"
)
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le")
OLE_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le")
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPT_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_images_lose_exif_and_gps_but_keep_orientation(fmt):
    # given: a 40×20 photo whose EXIF says "rotate 90°" and holds a GPS position
    original = _photo_with_gps(fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the fixture really has GPS
    # when
    [prepared] = attachments_prepare([_upload("IMG_0001.jpg", original, "image/jpeg")])
    # then
    cleaned = Image.open(io.BytesIO(prepared.data))
    assert cleaned.format == fmt
    assert not cleaned.getexif().get_ifd(GPS)
    assert len(cleaned.getexif()) == 0
    assert b"Budi Santoso" not in prepared.data
    assert b"KameraWarga" not in prepared.data
    assert cleaned.size == (20, 40)  # orientation applied to the pixels
    assert prepared.sha256 == hashlib.sha256(prepared.data).hexdigest()
    assert prepared.size == len(prepared.data)
    assert prepared.original_name == "IMG_0001.jpg"


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_comments_xmp_and_text_chunks_are_dropped(fmt):
    # given: GPS in an XMP packet, the owner's name in a comment / text chunk
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description '
        b'exif:GPSLatitude="7,15.5S" dc:creator="Budi Santoso"/></x:xmpmeta>'
    )
    extra: dict = {"xmp": xmp}
    if fmt == "JPEG":
        extra["comment"] = b"Budi Santoso"
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Author", "Budi Santoso")
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())
        extra = {"pnginfo": info}
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (1, 2, 3)).save(out, format=fmt, **extra)
    assert b"Budi Santoso" in out.getvalue()
    # when
    [prepared] = attachments_prepare([_upload("x", out.getvalue())])
    # then
    assert b"Budi Santoso" not in prepared.data
    assert b"GPSLatitude" not in prepared.data
    assert Image.open(io.BytesIO(prepared.data)).size == (12, 12)


def test_png_transparency_is_kept():
    # given
    out = io.BytesIO()
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(out, format="PNG")
    # when
    [prepared] = attachments_prepare([_upload("t.png", out.getvalue())])
    # then
    assert Image.open(io.BytesIO(prepared.data)).getpixel((0, 0)) == (0, 0, 0, 0)


def test_animated_gif_keeps_its_frames_but_not_its_comment():
    # given
    frames = [Image.new("RGB", (8, 8), color) for color in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(
        out, format="GIF", save_all=True, append_images=frames[1:], comment=b"Budi", duration=80
    )
    assert b"Budi" in out.getvalue()
    # when
    [prepared] = attachments_prepare([_upload("anim.gif", out.getvalue())])
    # then
    assert getattr(Image.open(io.BytesIO(prepared.data)), "n_frames", 1) == 3
    assert b"Budi" not in prepared.data


def test_gif_is_reencoded():
    # given
    out = io.BytesIO()
    Image.new("P", (8, 8), 3).save(out, format="GIF", comment=b"rahasia")
    # when
    [prepared] = attachments_prepare([_upload("anim.gif", out.getvalue())])
    # then
    assert prepared.content_type == "image/gif"
    assert prepared.name.endswith(".gif")
    assert Image.open(io.BytesIO(prepared.data)).size == (8, 8)
    assert b"rahasia" not in prepared.data


@pytest.mark.parametrize(
    ("data", "content_type", "ext"),
    [
        (PDF, "application/pdf", ".pdf"),
        (MP4, "video/mp4", ".mp4"),
        (
            _zip({"[Content_Types].xml": _content_types(WORD_MAIN), "main.xml": "<w/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        (
            _zip({"[Content_Types].xml": _content_types(PPT_MAIN), "main.xml": "<p/>"}),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ".pptx",
        ),
        (
            _xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        (OLE_DOC, "application/msword", ".doc"),
        (OLE_XLS, "application/vnd.ms-excel", ".xls"),
    ],
)
def test_documents_are_recognised_by_content_not_name(data, content_type, ext):
    # given: a misleading name and declared type
    upload = _upload("foto.jpg", data, "image/jpeg")
    # when
    [prepared] = attachments_prepare([upload])
    # then
    assert prepared.content_type == content_type
    assert prepared.name.endswith(ext)
    if ext in (".doc", ".xls"):
        assert prepared.data == data  # legacy formats are kept byte for byte
    else:
        assert prepared.size == len(prepared.data) > 0  # rewritten without their metadata
    assert "/" not in prepared.name
    assert prepared.name != "foto.jpg"


def test_every_bad_file_is_listed():
    # given
    files = [
        _upload("ok.pdf", PDF),
        _upload("virus.jpg", b"MZ\x90\x00" + b"\x00" * 100, "image/jpeg"),  # a Windows program
        _upload("skrip.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf"),
        _upload(
            "makro.docx",
            _zip(
                {
                    "[Content_Types].xml": _content_types(
                        "application/vnd.ms-word.document.macroEnabled.main+xml"
                    )
                }
            ),
        ),
        _upload("arsip.zip", _zip({"a.txt": "x"})),
        _upload("rusak.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50),
        _upload("bom.png", _png_header_only(20_000, 20_000)),
        _upload("kosong.txt", b""),
    ]
    # when
    with pytest.raises(ValidationFailed) as caught:
        attachments_prepare(files)
    # then
    fields = [error["field"] for error in caught.value.errors or []]
    assert fields == [f"attachments[{i}]" for i in range(1, 8)]
    assert caught.value.status == 422


def test_decompression_bomb_limit_is_sensible():
    # then: a 12-megapixel phone photo passes, a 20,000² image does not
    assert 4000 * 3000 < MAX_IMAGE_PIXELS < 20_000 * 20_000


def test_too_many_files(settings):
    # given
    files = [_upload(f"{i}.pdf", PDF) for i in range(7)]
    # when
    with pytest.raises(ValidationFailed) as caught:
        attachments_prepare(files)
    # then
    assert [e["field"] for e in caught.value.errors or []] == ["attachments[5]", "attachments[6]"]


def test_too_big_file_is_refused_without_reading(settings):
    # given
    settings.LAPOR = {**settings.LAPOR, "MAX_ATTACHMENT_BYTES": 1000}
    big = _upload("besar.pdf", PDF + b"0" * 2000)
    # when
    with pytest.raises(ValidationFailed) as caught:
        attachments_prepare([_upload("kecil.pdf", PDF), big])
    # then
    [error] = caught.value.errors or []
    assert error["field"] == "attachments[1]"


def test_original_names_are_cleaned():
    # then
    assert clean_original_name("../../etc/passwd") == "passwd"
    assert clean_original_name("C:\\Users\\budi\\foto 1.jpg") == "foto 1.jpg"
    assert clean_original_name("a\x00b\nc.pdf") == "abc.pdf"
    assert clean_original_name("") == "berkas"
    assert len(clean_original_name("x" * 400 + ".pdf")) == 255


@pytest.mark.django_db
def test_store_writes_files_and_rows():
    # given
    user = UserFactory()
    report = Report.objects.create(
        tracking_id="ABCDE-FGHJK",
        type="pengaduan",
        title="Jalan berlubang di depan pasar",
        content="Jalan berlubang sudah tiga bulan dan membahayakan pengendara motor.",
        submitted_at=timezone.now(),
    )
    prepared = attachments_prepare(
        [_upload("foto.jpg", _photo_with_gps()), _upload("surat.pdf", PDF)]
    )
    # when
    stored = attachments_store(report=report, event=None, prepared=prepared, uploaded_by=user)
    # then
    assert Attachment.objects.filter(report=report).count() == 2
    rows = {a.original_name: a for a in Attachment.objects.filter(report=report)}
    assert set(rows) == {"foto.jpg", "surat.pdf"}
    pdf = rows["surat.pdf"]
    cleaned_pdf = prepared[1].data
    assert pdf.content_type == "application/pdf"
    assert pdf.size == len(cleaned_pdf)
    assert pdf.sha256 == hashlib.sha256(cleaned_pdf).hexdigest()
    assert pdf.uploaded_by == user
    assert pdf.metadata_removed is True
    assert str(pdf.file.name).startswith("attachments/")
    with default_storage.open(str(pdf.file.name)) as handle:
        assert handle.read() == cleaned_pdf
    with default_storage.open(str(rows["foto.jpg"].file.name)) as handle:
        assert not Image.open(handle).getexif().get_ifd(GPS)
    assert len(stored) == 2


def test_prepared_attachment_is_a_plain_value():
    # given / when
    item = PreparedAttachment(
        name="a.pdf", content_type="application/pdf", data=b"x", size=1, sha256="0"
    )
    # then
    assert item.original_name == ""
    assert item.size == 1
