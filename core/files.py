"""Uploaded files kept as records (evidence of an assessment, receipts, photos): one check of
size and type for every app, and one way to serve them — only through a view that has asked
the scope first, never from a public media URL."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileKind:
    label: str
    extensions: tuple
    magic: tuple  # the file's first bytes, any of these


PDF = FileKind("PDF", (".pdf",), (b"%PDF-",))
IMAGE = FileKind(_("图片"), (".jpg", ".jpeg", ".png"), (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"))
# Word and Excel: the current formats are zip containers, the old ones OLE compound files.
OFFICE = FileKind(
    _("Word/Excel 文档"), (".docx", ".xlsx", ".doc", ".xls"), (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
)
DOCUMENTS = (PDF, IMAGE, OFFICE)


def accept_attribute(kinds=DOCUMENTS):
    """The `accept` of a file input for `kinds`: ".pdf,.jpg,…"."""
    return ",".join(ext for kind in kinds for ext in kind.extensions)


def check_upload(upload, kinds=DOCUMENTS, max_bytes=10 * 1024 * 1024):
    """Refuse an empty or too large file, or one whose name or content is not of `kinds`: the name
    must end with one of a kind's extensions and the content start as that kind's files do (a
    renamed program is refused). Returns the upload; raises ValidationError in Chinese."""
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"))
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件大小超过上限 %(limit)d MB。"), params={"limit": max_bytes // (1024 * 1024)}, code="too_large"
        )
    name = upload.name.lower()
    kind = next((k for k in kinds if name.endswith(k.extensions)), None)
    allowed = "、".join(str(k.label) for k in kinds)
    if kind is None:
        raise ValidationError(_("只能上传 %(allowed)s。"), params={"allowed": allowed}, code="extension")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(kind.magic):
        raise ValidationError(
            _("文件内容与扩展名不符（不是真正的 %(kind)s），请重新导出后上传。"),
            params={"kind": kind.label},
            code="content",
        )
    return upload


def serve(file_field, name):
    """A download of a stored file under its original name; the caller has checked the scope."""
    return FileResponse(file_field.open("rb"), as_attachment=True, filename=name)
