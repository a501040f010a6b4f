"""Uploads that attack the server or the reader: oversized images and decompression bombs refused
from their headers before any pixel is decoded, polyglots, SVG and HTML, zip bombs — each refused
with a message that says why."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from lapor.core.errors import ValidationFailed
from lapor.reports import attachments
from lapor.reports.attachments import attachments_prepare


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")  # flat: a few kB on disk
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 10, 10)).save(out, format="JPEG")
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.class", b"\xca\xfe\xba\xbe" + b"\x00" * 64)
    return out.getvalue()


def _messages(files) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        attachments_prepare(files)
    assert caught.value.status == 422
    return {e["field"]: e["message"] for e in caught.value.errors or []}


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any image's pixels are decoded."""
    decoded: list[str] = []

    def load(self, *args, **kwargs):
        decoded.append(self.format or "?")
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", load)
    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return decoded


@pytest.fixture(scope="module")
def big_png() -> bytes:
    return _png(6300, 6300)  # 39.7 megapixels, under the per-image limit


def test_the_probes_five_6300_pixel_pngs_are_refused_from_their_headers(big_png, no_decoding):
    # given: the request that held a worker for 36 s and 310 MB
    files = [_upload(f"{i}.png", big_png) for i in range(5)]
    # when
    messages = _messages(files)
    # then: the first fits the budget, every later one is named, and nothing was decoded
    assert list(messages) == [f"attachments[{i}]" for i in range(1, 5)]
    assert "megapiksel" in messages["attachments[1]"]
    assert "64.0" in messages["attachments[1]"]
    assert no_decoding == []


def test_one_image_over_the_pixel_limit_is_refused_with_its_size(settings, request):
    # given: a limit of 0.5 megapixels and a 1-megapixel image
    settings.LAPOR = {**settings.LAPOR, "MAX_IMAGE_PIXELS": 500_000}
    image = _png(1000, 1000)
    no_decoding = request.getfixturevalue("no_decoding")
    # when
    messages = _messages([_upload("besar.png", image)])
    # then
    assert messages == {
        "attachments[0]": "Gambar terlalu besar: 1.0 megapiksel, paling banyak 0.5 megapiksel. "
        "Perkecil gambar lalu kirim lagi."
    }
    assert no_decoding == []


def test_the_total_budget_is_a_setting(settings):
    # given
    settings.LAPOR = {**settings.LAPOR, "MAX_IMAGE_PIXELS_TOTAL": 2_000}
    # when two 40 × 40 images (1,600 pixels each) are sent together
    messages = _messages([_upload("a.png", _png(40, 40)), _upload("b.png", _png(40, 40))])
    # then the second one is over the budget
    assert list(messages) == ["attachments[1]"]


def test_a_decompression_bomb_is_refused_without_decoding(no_decoding):
    # given: a PNG header announcing 100,000 × 100,000 pixels (Pillow's own bomb limit)
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
    # when
    messages = _messages([_upload("bom.png", bomb)])
    # then
    assert "bom dekompresi" in messages["attachments[0]"]
    assert no_decoding == []


def test_a_jpeg_that_is_also_a_zip_is_refused_as_a_polyglot():
    # when
    messages = _messages([_upload("foto.jpg", _jpeg() + _zip())])
    # then
    assert "poliglot" in messages["attachments[0]"]


def test_a_pdf_that_is_also_a_zip_is_refused_as_a_polyglot():
    # given
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    # when
    messages = _messages([_upload("surat.pdf", out.getvalue() + _zip())])
    # then
    assert "poliglot" in messages["attachments[0]"]


def test_a_jpeg_carrying_html_in_its_head_is_refused():
    # given: a JPEG whose comment segment is an HTML page (a JPEG/HTML polyglot)
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    jpeg = _jpeg()
    segment = b"\xff\xfe" + (len(html) + 2).to_bytes(2, "big") + html
    polyglot = jpeg[:2] + segment + jpeg[2:]
    assert Image.open(io.BytesIO(polyglot)).size == (32, 32)  # a valid JPEG all the same
    # when
    messages = _messages([_upload("foto.jpg", polyglot)])
    # then
    assert "HTML" in messages["attachments[0]"]


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'\xef\xbb\xbf  <svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>',
    ],
)
def test_svg_is_refused_with_a_reason(svg):
    # when
    messages = _messages([_upload("gambar.svg", svg)])
    # then
    assert messages["attachments[0]"].startswith("Berkas SVG tidak diterima")


def test_an_html_page_is_refused():
    messages = _messages([_upload("a.pdf", b"<!DOCTYPE html><html><body>x</body></html>")])
    assert "HTML" in messages["attachments[0]"]


def test_an_office_zip_bomb_is_refused(monkeypatch):
    # given: a document that unpacks to more than the bound
    monkeypatch.setattr(attachments, "MAX_UNPACKED_BYTES", 100_000)
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w/>" + " " * 1_000_000)
    assert len(out.getvalue()) < 20_000
    # when
    messages = _messages([_upload("bom.docx", out.getvalue())])
    # then
    assert "bom zip" in messages["attachments[0]"]


def test_a_too_big_file_is_refused_with_the_limit(settings):
    settings.LAPOR = {**settings.LAPOR, "MAX_ATTACHMENT_BYTES": 2 * 1024 * 1024}
    messages = _messages([_upload("besar.jpg", b"\xff\xd8" + b"\x00" * (3 * 1024 * 1024))])
    assert messages["attachments[0]"] == "Berkas terlalu besar (paling besar 2 MB)."


def test_nothing_is_cleaned_when_another_file_is_refused(monkeypatch):
    # given: a good photo next to a bad file
    cleaned: list[str] = []
    real = attachments._reencode_image

    def spy(data, content_type, max_pixels):
        cleaned.append(content_type)
        return real(data, content_type, max_pixels)

    monkeypatch.setattr(attachments, "_reencode_image", spy)
    # when
    messages = _messages([_upload("ok.jpg", _jpeg()), _upload("x.svg", b"<svg></svg>")])
    # then: the expensive step never ran
    assert list(messages) == ["attachments[1]"]
    assert cleaned == []
