"""Where uploads are stored: random names, so a stored path reveals nothing and cannot be guessed."""

import uuid


def random_name(folder: str, filename: str, *, extension: str | None = None) -> str:
    ext = extension or (filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin")
    return f"{folder}/{uuid.uuid4().hex}.{ext}"
