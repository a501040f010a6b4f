"""Metadata removed per attachment format, each with a real file built here: the author, the GPS
position and any script are gone, and the file still opens."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from lapor.core.errors import ValidationFailed
from lapor.reports.attachments import attachments_prepare

NAME = "Budi Santoso"
EMAIL = "budi.santoso@contoh.id"


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _prepare_one(name: str, data: bytes):
    [prepared] = attachments_prepare([_upload(name, data)])
    return prepared


# --- PNG chunks ------------------------------------------------------------------------------


def _png_chunks(data: bytes) -> list[bytes]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    position, kinds = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kinds.append(data[position + 4 : position + 8])
        position += 12 + length
    return kinds


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_png_loses_text_itxt_ztxt_exif_and_time_chunks():
    # given: a PNG with the owner in tEXt, zTXt and iTXt (XMP), a GPS eXIf chunk and a tIME chunk
    info = PngInfo()
    info.add_text("Author", NAME)
    info.add_text("Comment", f"dikirim oleh {NAME}", zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", f'<x:xmpmeta dc:creator="{NAME}"/>')
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    gps = exif.get_ifd(0x8825)
    gps[2] = (7.0, 15.0, 30.5)
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (9, 99, 199)).save(out, format="PNG", pnginfo=info, exif=exif)
    original = out.getvalue()
    original = (
        original[:-12] + _png_chunk(b"tIME", b"\x07\xe9\x01\x02\x03\x04\x05") + original[-12:]
    )
    kinds = set(_png_chunks(original))
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"} <= kinds
    # when
    prepared = _prepare_one("foto.png", original)
    # then: only the image's own chunks are left, and it still opens with the same pixels
    assert set(_png_chunks(prepared.data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    assert NAME.encode() not in prepared.data
    cleaned = Image.open(io.BytesIO(prepared.data))
    assert cleaned.size == (16, 16)
    assert cleaned.convert("RGB").getpixel((3, 3)) == (9, 99, 199)
    assert prepared.metadata_removed is True


# --- PDF -------------------------------------------------------------------------------------


def _pdf_with_author_script_and_attachment() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = NAME
    pdf.docinfo["/Creator"] = f"Word for {NAME}"
    pdf.docinfo["/Producer"] = "Kantor Budi PDF"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [NAME]
        meta["xmp:CreatorTool"] = "Kantor Budi PDF"
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    pdf.Root.OpenAction = pdf.make_indirect(script)
    pdf.Root.AA = pikepdf.Dictionary(
        WC=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.submitForm()"))
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("init"), pdf.make_indirect(script)])
        )
    )
    attached = pikepdf.AttachedFileSpec(pdf, f"alamat {EMAIL}".encode(), filename="kontak.txt")
    pdf.attachments["kontak.txt"] = attached
    page = pdf.pages[0]
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([10, 10, 50, 50]),
        A=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.launchURL('x')")),
        AA=pikepdf.Dictionary(E=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("c"))),
    )
    web = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([60, 10, 90, 50]),
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://lapor.go.id")),
    )
    page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link), web]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _all_keys(pdf: pikepdf.Pdf) -> set[str]:
    keys: set[str] = set()

    def visit(obj, depth=0):
        if depth > 30:
            return
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key in obj.keys():  # noqa: SIM118 - a PDF dictionary, not a dict
                keys.add(str(key))
                value = obj[str(key)]
                if isinstance(value, pikepdf.Dictionary | pikepdf.Array):
                    visit(value, depth + 1)
                elif isinstance(value, pikepdf.Name):
                    keys.add(f"={value}")
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                visit(item, depth + 1)

    visit(pdf.trailer)
    return keys


def test_pdf_loses_author_xmp_javascript_and_embedded_files_and_still_opens():
    # given: a PDF with an author, XMP metadata, scripts on open and on a link, an embedded file
    original = _pdf_with_author_script_and_attachment()
    with pikepdf.open(io.BytesIO(original)) as before:
        assert str(before.docinfo["/Author"]) == NAME
        assert "/JavaScript" in before.Root.Names and len(before.attachments) == 1
    # when
    prepared = _prepare_one("surat.pdf", original)
    # then
    assert prepared.content_type == "application/pdf"
    assert prepared.metadata_removed is True
    assert NAME.encode() not in prepared.data
    assert EMAIL.encode() not in prepared.data
    with pikepdf.open(io.BytesIO(prepared.data)) as after:
        assert len(after.pages) == 1  # it still opens, with its page
        assert "/Info" not in after.trailer or not dict(after.docinfo)
        keys = _all_keys(after)
        for gone in ("/Metadata", "/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles",
                     "/EF", "=/JavaScript", "=/Launch"):  # fmt: skip
            assert gone not in keys, gone
        assert len(after.attachments) == 0
        # the ordinary web link survives
        annots = after.pages[0].Annots
        assert [str(a.A.S) for a in annots if "/A" in a] == ["/URI"]


def test_pdf_with_a_user_password_is_refused_with_a_reason():
    # given
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="rahasia", owner="rahasia"))
    # when
    with pytest.raises(ValidationFailed) as caught:
        attachments_prepare([_upload("terkunci.pdf", out.getvalue())])
    # then
    [error] = caught.value.errors or []
    assert "kata sandi" in error["message"]


# --- OOXML -----------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
    'core-properties+xml"/></Types>'
)


def _docx() -> bytes:
    parts = {
        "[Content_Types].xml": DOCX_TYPES,
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{NAME}</dc:creator><cp:lastModifiedBy>{NAME}</cp:lastModifiedBy>"
            "</cp:coreProperties>"
        ),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
            'properties"><Application>Microsoft Office Word</Application>'
            "<Company>CV Budi Jaya</Company><Manager>Pak Manajer</Manager><Pages>1</Pages>"
            "</Properties>"
        ),
        "docProps/custom.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
            'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
            'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
            f'name="Pemilik"><vt:lpwstr>{EMAIL}</vt:lpwstr></property></Properties>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/'
            'wordml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'mc:Ignorable="w14"><w:body><w:p><w:r><w:t>Jalan rusak</w:t></w:r>'
            f'<w:ins w:id="1" w:author="{NAME}" w:date="2026-01-02T03:04:05Z"><w:r>'
            "<w:t> sejak Januari</w:t></w:r></w:ins></w:p></w:body></w:document>"
        ),
        "word/comments.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{NAME}" w:initials="BS">'
            "<w:p><w:r><w:t>cek lagi</w:t></w:r></w:p></w:comment></w:comments>"
        ),
        "word/people.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w15:people xmlns:w15="{W15}"><w15:person w15:author="{NAME}">'
            f'<w15:presenceInfo w15:providerId="AD" w15:userId="S::{EMAIL}::1"/></w15:person>'
            "</w15:people>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_docx_loses_core_app_custom_properties_and_comment_authors_and_still_opens():
    # given
    original = _docx()
    assert NAME.encode() not in original  # deflated: check the parts instead
    # when
    prepared = _prepare_one("surat.docx", original)
    # then
    assert prepared.metadata_removed is True
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as archive:
        assert archive.testzip() is None
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert set(parts) == {
        "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
        "docProps/custom.xml", "word/document.xml", "word/comments.xml", "word/people.xml",
    }  # fmt: skip
    for name, content in parts.items():
        etree.fromstring(content)  # every part is still well-formed XML
        for secret in (NAME, EMAIL, "CV Budi Jaya", "Pak Manajer", "BS"):
            assert secret.encode() not in content, (name, secret)
    assert b"Jalan rusak" in parts["word/document.xml"]  # the text itself is kept
    # the namespace prefixes Word relies on (mc:Ignorable="w14") are kept as they were
    assert b'mc:Ignorable="w14"' in parts["word/document.xml"]
    assert b"<w:ins " in parts["word/document.xml"]
    app = etree.fromstring(parts["docProps/app.xml"])
    assert [etree.QName(e).localname for e in app] == ["Application", "Pages"]


def test_xlsx_comment_authors_and_creator_are_removed_and_it_still_opens():
    # given: a workbook written by openpyxl with a creator and a comment by the owner
    book = Workbook()
    book.properties.creator = NAME
    book.properties.lastModifiedBy = NAME
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Rekap pengaduan"
    sheet["A1"].comment = Comment("periksa angka", NAME)
    out = io.BytesIO()
    book.save(out)
    # when
    prepared = _prepare_one("rekap.xlsx", out.getvalue())
    # then
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as archive:
        for name in archive.namelist():
            assert NAME.encode() not in archive.read(name), name
    reopened = load_workbook(io.BytesIO(prepared.data))
    cell = reopened.active["A1"]  # type: ignore[index]
    assert cell.value == "Rekap pengaduan"
    assert cell.comment is not None and cell.comment.text == "periksa angka"
    assert reopened.properties.creator != NAME


def test_pptx_comment_authors_are_removed():
    # given: a presentation's comment authors list
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/ppt/presentation.xml" ContentType="{main}"/></Types>',
        )
        archive.writestr("ppt/presentation.xml", "<p:presentation xmlns:p='urn:p'/>")
        archive.writestr(
            "ppt/commentAuthors.xml",
            "<p:cmAuthorLst xmlns:p='http://schemas.openxmlformats.org/presentationml/2006/main'>"
            f"<p:cmAuthor id='0' name='{NAME}' initials='BS' lastIdx='1' clrIdx='0'/>"
            "</p:cmAuthorLst>",
        )
    # when
    prepared = _prepare_one("paparan.pptx", out.getvalue())
    # then
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as archive:
        authors = etree.fromstring(archive.read("ppt/commentAuthors.xml"))
    [author] = list(authors)
    assert (author.get("name"), author.get("initials"), author.get("id")) == ("Anonim", "", "0")


def test_a_docx_with_macros_is_refused():
    # given: a vbaProject.bin inside an ordinary-looking docx
    original = _docx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/vbaProject.bin", b"\x00" * 64)
    # when
    with pytest.raises(ValidationFailed) as caught:
        attachments_prepare([_upload("makro.docx", out.getvalue())])
    # then
    assert "makro" in (caught.value.errors or [])[0]["message"]


# --- ODF -------------------------------------------------------------------------------------

ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            "meta.xml",
            f'<office:document-meta xmlns:office="{ODF_OFFICE}" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>'
            f"<meta:initial-creator>{NAME}</meta:initial-creator><dc:creator>{NAME}</dc:creator>"
            "<meta:generator>LibreOffice</meta:generator></office:meta></office:document-meta>",
        )
        archive.writestr(
            "content.xml",
            f'<office:document-content xmlns:office="{ODF_OFFICE}" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:body>'
            "<office:text><text:p>Jalan rusak<office:annotation>"
            f"<dc:creator>{NAME}</dc:creator><text:p>cek</text:p></office:annotation>"
            "</text:p></office:text></office:body></office:document-content>",
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return out.getvalue()


def test_odt_loses_meta_and_comment_creators_and_still_opens():
    # when
    prepared = _prepare_one("surat.odt", _odt())
    # then
    assert prepared.content_type == "application/vnd.oasis.opendocument.text"
    assert prepared.name.endswith(".odt")
    assert prepared.metadata_removed is True
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        meta = etree.fromstring(archive.read("meta.xml"))
        content = archive.read("content.xml")
    assert meta.get(f"{{{ODF_OFFICE}}}version") == "1.3"
    assert len(meta[0]) == 0  # <office:meta/> is empty
    assert NAME.encode() not in content and b"Jalan rusak" in content


# --- video -----------------------------------------------------------------------------------


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full(kind: bytes, payload: bytes) -> bytes:
    return _box(kind, b"\x00\x00\x00\x00" + payload)


XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
SAMPLES = b"\x00\x00\x00\x10" + b"frame-data-12" + b"\x00" * 3  # 20 bytes of "video"


def _mp4(*, handler: bytes = b"vide", brand: bytes = b"mp42") -> bytes:
    """ftyp, mdat, moov (one track whose one chunk starts in mdat, user data with ©xyz, Apple
    location keys, an XMP uuid box): the sample offset must still point at the samples."""
    ftyp = _box(b"ftyp", brand + b"\x00\x00\x00\x00" + brand + b"isom")
    mdat = _box(b"mdat", SAMPLES)
    sample_offset = len(ftyp) + 8

    def moov(offset: int) -> bytes:
        mvhd = _full(b"mvhd", struct.pack(">IIII", 0, 0, 1000, 1000) + b"\x00" * 80)
        tkhd = _full(b"tkhd", b"\x00" * 80)
        mdhd = _full(b"mdhd", struct.pack(">IIII", 0, 0, 1000, 1000) + b"\x00" * 4)
        hdlr = _full(b"hdlr", b"\x00" * 4 + handler + b"\x00" * 12 + b"VideoHandler\x00")
        stco = _full(b"stco", struct.pack(">II", 1, offset))
        stsz = _full(b"stsz", struct.pack(">III", len(SAMPLES), 1, 0))
        stbl = _box(b"stbl", stco + stsz)
        minf = _box(b"minf", stbl)
        trak_udta = _box(b"udta", _box(b"\xa9nam", f"kamera {NAME}".encode()))
        trak = _box(b"trak", tkhd + _box(b"mdia", mdhd + hdlr + minf) + trak_udta)
        xyz = _box(b"\xa9xyz", b"\x00\x12\x15\xc7-07.2583+112.7521/")
        udta = _box(b"udta", xyz + _box(b"auth", NAME.encode()))
        keys = _full(b"keys", b"com.apple.quicktime.location.ISO6709")
        meta = _full(b"meta", keys + _box(b"ilst", b"-07.2583+112.7521+012.000/"))
        xmp = _box(b"uuid", XMP_UUID + f"<x:xmpmeta>{NAME}</x:xmpmeta>".encode())
        return _box(b"moov", mvhd + trak + udta + meta + xmp)

    return ftyp + mdat + moov(sample_offset)


def _box_kinds(data: bytes, start: int = 0, end: int | None = None, depth: int = 0):
    end = len(data) if end is None else end
    position = start
    while position < end:
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        assert size >= 8 and position + size <= end  # the boxes still tile their parent
        yield depth, kind
        if kind in {b"moov", b"trak", b"mdia", b"minf", b"stbl"}:
            yield from _box_kinds(data, position + 8, position + size, depth + 1)
        position += size


def test_mp4_gps_user_data_and_xmp_become_free_boxes_and_the_samples_stay_where_they_were():
    # given
    original = _mp4()
    assert b"+112.7521" in original and NAME.encode() in original
    # when
    prepared = _prepare_one("video.mp4", original)
    # then: same length, no trace of the position or the name, the boxes turned into `free`
    data = prepared.data
    assert prepared.content_type == "video/mp4" and prepared.name.endswith(".mp4")
    assert prepared.metadata_removed is True
    assert len(data) == len(original)
    assert b"112.7521" not in data and NAME.encode() not in data and XMP_UUID not in data
    kinds = [kind for _depth, kind in _box_kinds(data)]
    assert b"udta" not in kinds and b"meta" not in kinds and b"uuid" not in kinds
    assert kinds.count(b"free") == 4  # movie user data, movie meta, xmp uuid, track user data
    # the chunk offset still points at the very same samples
    stco = data.index(b"stco")
    (offset,) = struct.unpack(">I", data[stco + 12 : stco + 16])
    assert data[offset : offset + len(SAMPLES)] == SAMPLES
    # and an independent MP4 reader still opens it
    from mutagen.mp4 import MP4

    info = MP4(io.BytesIO(data)).info
    assert info is not None and info.length == pytest.approx(1.0)


@pytest.mark.parametrize(("brand", "content_type", "ext"), [(b"qt  ", "video/quicktime", ".mov"),
                                                           (b"3gp5", "video/3gpp", ".3gp")])  # fmt: skip
def test_mov_and_3gp_are_cleaned_the_same_way(brand, content_type, ext):
    # when
    prepared = _prepare_one("video", _mp4(brand=brand))
    # then
    assert (prepared.content_type, prepared.name[-4:]) == (content_type, ext)
    assert b"112.7521" not in prepared.data and prepared.metadata_removed is True


def test_a_video_with_a_timed_metadata_track_is_kept_but_marked():
    # given: a track of timed metadata (an action camera's GPS trace lives in such samples)
    original = _mp4(handler=b"meta")
    # when
    prepared = _prepare_one("gopro.mp4", original)
    # then
    assert prepared.metadata_removed is False
    assert b"112.7521" not in prepared.data  # the user data went all the same


def test_a_broken_video_is_refused():
    # given: a box that claims more bytes than the file has
    original = _mp4()
    broken = original[:-10]
    # when
    with pytest.raises(ValidationFailed) as caught:
        attachments_prepare([_upload("rusak.mp4", broken)])
    # then
    assert "Video rusak" in (caught.value.errors or [])[0]["message"]


# --- legacy formats --------------------------------------------------------------------------


def test_legacy_word_is_kept_and_marked_as_still_carrying_metadata():
    # given
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le")
    # when
    prepared = _prepare_one("lama.doc", ole)
    # then
    assert prepared.content_type == "application/msword"
    assert prepared.data == ole
    assert prepared.metadata_removed is False


def test_images_are_marked_clean():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="JPEG")
    assert _prepare_one("a.jpg", out.getvalue()).metadata_removed is True
