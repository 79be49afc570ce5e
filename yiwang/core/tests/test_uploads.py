"""The one upload policy: a file is what its bytes say; its name and the client's claim are not trusted."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from yiwang.core import uploads
from yiwang.core.errors import ActionRefused, InputError

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def _check(name, content, kinds=uploads.DOCUMENTS):
    with translation.override("en"):
        return uploads.check_upload(SimpleUploadedFile(name, content, "application/octet-stream"), kinds=kinds,
                                    refusal="Not taken.")


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("a.pdf", PDF, uploads.PDF),
    ("a.PNG", PNG, uploads.PNG),
    ("a.jpeg", JPEG, uploads.JPEG),
    ("a.docx", _zip("[Content_Types].xml", "word/document.xml"), uploads.DOCX),
    ("a.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml"), uploads.XLSX),
    ("a.ofd", _zip("OFD.xml", "Doc_0/Document.xml"), uploads.OFD),
    ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), uploads.DOC),
    ("a.txt", "调解笔录\n第一行".encode(), uploads.TEXT),
    ("a.txt", "调解笔录".encode("gb18030"), uploads.TEXT),
    ("no-extension", PDF, uploads.PDF),
])
def test_what_the_bytes_say_is_taken(name, content, kind):
    assert _check(name, content) == kind


@pytest.mark.parametrize(("name", "content", "says"), [
    ("scan.jpg", PDF, "named .jpg"),            # a PDF renamed .jpg
    ("agreement.pdf", EXE, "Not taken."),       # a program renamed .pdf
    ("archive.docx", _zip("evil.sh"), "Not taken."),  # a ZIP that is no Office document
    ("empty.pdf", b"", "empty"),
])
def test_a_file_that_is_not_what_it_claims_is_refused_with_a_message(name, content, says):
    with pytest.raises(InputError) as refusal:
        _check(name, content)
    assert says in refusal.value.message_dict["file"][0]


def test_a_kind_the_app_does_not_take_is_refused():
    with pytest.raises(InputError):
        _check("a.pdf", PDF, kinds=uploads.IMAGES)


def test_the_size_limit_comes_from_settings(settings):
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(InputError) as refusal:
        _check("a.pdf", PDF + b"0" * (1024 * 1024))
    assert "1 MB" in refusal.value.message_dict["file"][0]
    assert isinstance(refusal.value, ActionRefused)


def test_no_file_is_refused():
    with translation.override("en"), pytest.raises(InputError) as refusal:
        uploads.check_upload(None, kinds=uploads.DOCUMENTS, refusal="x", field="photos")
    assert refusal.value.message_dict == {"photos": ["Choose a file."]}


def test_a_stored_name_is_random_and_keeps_only_the_sniffed_extension(settings):
    """grids' and cobuild's photos are stored under prefix/YYYY/MM/<32 hex>.<ext>: nothing of the
    uploader's name reaches the disk, and the extension is the sniffed kind's, with or without its dot."""
    import re
    from unittest import mock

    from yiwang.grids.models import Photo
    from yiwang.grids.models import photo_path as grids_path

    first, second = uploads.stored_name("grids", "jpg"), uploads.stored_name("cobuild", ".png")
    assert re.fullmatch(r"grids/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", first)
    assert re.fullmatch(r"cobuild/\d{4}/\d{2}/[0-9a-f]{32}\.png", second)
    assert first != uploads.stored_name("grids", "jpg")
    photo = mock.Mock(spec=Photo, extension="webp")
    assert re.fullmatch(r"grids/\d{4}/\d{2}/[0-9a-f]{32}\.webp", grids_path(photo, "张三身份证.jpg"))
