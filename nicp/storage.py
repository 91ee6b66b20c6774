"""Where uploads are stored and how they are served back.

Stored under random names, so a stored path reveals nothing and cannot be guessed. Served under a
name the application makes from the detected type (`anexo-12.pdf`), never the name the file was
uploaded with: `evil.html` or `x.pdf.exe` would otherwise reach the browser's save dialog.
"""

import re
import uuid

from django.http import FileResponse

# The only types the application accepts (the bytes decide, see proposals/uploads.py) and their extensions.
# XML is stored (CFDI invoices, parsed by projects/cfdi.py) and served as a download, never accepted by the
# general upload rule (see proposals/uploads.py).
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
              "application/xml": "xml"}
CONTENT_TYPES = {extension: mime for mime, extension in EXTENSIONS.items()}
UNKNOWN_TYPE = "application/octet-stream"
# A served file may show inline, but never run anything: no scripts, no plug-ins, no same-origin access.
SANDBOX = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def random_name(folder: str, filename: str, *, extension: str | None = None) -> str:
    ext = extension or (filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin")
    if ext not in CONTENT_TYPES:
        ext = "bin"
    return f"{folder}/{uuid.uuid4().hex}.{ext}"


def content_type_of(stored_name: str) -> str:
    """The type of a stored file from the extension it was stored under (chosen from the detected type)."""
    return CONTENT_TYPES.get(stored_name.rsplit(".", 1)[-1].lower(), UNKNOWN_TYPE)


def download_response(stored, *, stem: str, content_type: str, inline: bool = False) -> FileResponse:
    """Serve a stored file as `<stem>.<extension of its type>`, with the type it was checked to be.

    `stem` is made by the code (a kind and an id); anything but letters, digits, dot, dash and
    underscore is replaced all the same. A type outside the accepted ones is sent as a download of
    opaque bytes, never shown inline."""
    if content_type not in EXTENSIONS:
        content_type, inline = UNKNOWN_TYPE, False
    filename = f"{re.sub(r'[^A-Za-z0-9._-]', '-', stem)}.{EXTENSIONS.get(content_type, 'bin')}"
    response = FileResponse(stored.open("rb"), as_attachment=not inline, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response
