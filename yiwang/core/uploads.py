"""One upload policy for every app: a file is what its first bytes say, never what its name or the
client's content type claim.

`check_upload(upload, kinds=…)` refuses (InputError, a message for the form's field) a missing or empty
file, a file over MAX_UPLOAD_MB, content that is none of the accepted kinds, and a name whose extension
says another kind than the content (a PDF renamed .jpg, a program renamed .pdf). It returns the Kind,
whose content type and extension are what the app stores: the uploader's name never reaches the disk.

The checks are magic numbers (the formats are few and fixed, so no library is needed); Office and OFD
files are ZIP or OLE2 containers, told apart by what they hold.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from yiwang.core.errors import InputError


@dataclass(frozen=True)
class Kind:
    """A kind of file: its content type and the extensions a name of this kind may have (the first is
    the one a stored name gets)."""

    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = Kind("application/pdf", (".pdf",))
PNG = Kind("image/png", (".png",))
JPEG = Kind("image/jpeg", (".jpg", ".jpeg", ".jfif"))
WEBP = Kind("image/webp", (".webp",))
DOC = Kind("application/msword", (".doc",))
XLS = Kind("application/vnd.ms-excel", (".xls",))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
OFD = Kind("application/ofd", (".ofd",))  # 版式文档 (GB/T 33190), a ZIP holding OFD.xml
TEXT = Kind("text/plain", (".txt",))

IMAGES = (JPEG, PNG, WEBP)
DOCUMENTS = (PDF, JPEG, PNG, DOC, DOCX, XLS, XLSX, OFD, TEXT)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls
_TEXT_PROBE = 64 * 1024
_CONTROL = set(range(32)) - {9, 10, 12, 13}  # text has tabs, line ends and form feeds, no other controls


def _read_head(upload, n: int) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _zip_kind(upload) -> Kind | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
    if "OFD.xml" in names:
        return OFD
    return None


def _ole2_kind(upload) -> Kind | None:
    # The stream names are stored in UTF-16 in the container's directory; Word's main stream is
    # "WordDocument", Excel's "Workbook" (or "Book" before Excel 97).
    body = _read_head(upload, 1024 * 1024)
    if "WordDocument".encode("utf-16-le") in body:
        return DOC
    if "Workbook".encode("utf-16-le") in body or "Book".encode("utf-16-le") in body:
        return XLS
    return None


def _is_text(head: bytes) -> bool:
    if not head or any(byte in _CONTROL for byte in head):
        return False
    for encoding in ("utf-8", "gb18030"):  # what Chinese offices save plain text in
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def sniff(upload) -> Kind | None:
    """The kind the file's content shows, or None when it is none of the kinds this policy knows."""
    head = _read_head(upload, 16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head.startswith(_OLE2):
        return _ole2_kind(upload)
    if _is_text(_read_head(upload, _TEXT_PROBE)):
        return TEXT
    return None


def check_size(upload, *, field: str = "file") -> None:
    """InputError({field: message}) when `upload` is over MAX_UPLOAD_MB: the one limit for every file a
    user sends, also where the content is checked otherwise (the verification page reads any PDF)."""
    if (getattr(upload, "size", None) or 0) > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise InputError({field: _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}})


def check_upload(upload, *, kinds: tuple[Kind, ...], refusal: str, field: str = "file", name: str = "") -> Kind:
    """The kind of `upload` (a Django UploadedFile) when it is one of `kinds`, within MAX_UPLOAD_MB, not
    empty, and named like what it holds; else InputError({field: message}). `refusal` says which kinds
    the app takes ("Only PDF documents and PNG or JPEG pictures can be uploaded.")."""
    if upload is None:
        raise InputError({field: _("Choose a file.")})
    if not getattr(upload, "size", None):
        raise InputError({field: _("The file is empty.")})
    check_size(upload, field=field)
    kind = sniff(upload)
    if kind is None or kind not in kinds:
        raise InputError({field: refusal})
    extension = os.path.splitext(os.path.basename(name or getattr(upload, "name", "") or ""))[1].lower()
    if extension and extension not in kind.extensions:
        raise InputError({field: _("The file is named %(extension)s but holds something else: rename it "
                                   "or choose the right file.") % {"extension": extension}})
    return kind


def stored_name(prefix: str, extension: str) -> str:
    """Where an accepted upload is stored: `prefix/YYYY/MM/<32 random hex><extension>` (the extension with
    or without its dot). The name is random because the uploader's file name can carry personal
    information; an app's `upload_to` calls this with the extension of the Kind it sniffed."""
    import secrets

    from django.utils import timezone

    dot = "." if extension and not extension.startswith(".") else ""
    return f"{prefix}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{dot}{extension}"


def open_stored_file(field_file):
    """The stored private file open for reading; 404 (logged, since it means a lost object) when the
    field is empty or the object is gone from the storage (the local disk or the S3 bucket: both raise
    FileNotFoundError for a missing object)."""
    import logging

    from django.http import Http404

    if not field_file:
        raise Http404
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        logging.getLogger("yiwang.files").error("stored object missing: %s", field_file.name)
        raise Http404 from None


def read_stored_file(field_file) -> bytes:
    """The whole stored file's bytes, or 404 when it is missing (see open_stored_file)."""
    with open_stored_file(field_file) as handle:
        return handle.read()


def stored_file_response(field_file, content_type: str | None, *, filename: str | None = None,
                         as_attachment: bool = False):
    """A stored private file (already found through the reader's scope) as a response: the stored
    content type (None: guessed from `filename`), never sniffed by the browser, cached only privately;
    404 when the file is gone. Every download of a stored file goes through here."""
    from django.http import FileResponse

    response = FileResponse(open_stored_file(field_file), content_type=content_type,
                            as_attachment=as_attachment, filename=filename or "")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
