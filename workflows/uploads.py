"""Uploads kept across a form that is shown again after an error.

A user who attached photos or a quote and then mistyped the amount gets the form back with an error; browsers
cannot refill a file input, so without this the files are silently lost. ``PendingUploads`` stores the files
that passed their own checks in a pending area of the default storage (outside the web root, like every
upload), remembers them in the user's session under random tokens, and puts the tokens in the form as hidden
fields. On the next POST a field without a new file gets its kept files back; a new file replaces them. Only the
session that uploaded a file can use its token. Kept files are removed when the form succeeds, and any left
behind after ``MAX_AGE_SECONDS``.
"""
from __future__ import annotations

import secrets
import time

from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict

SESSION_KEY = "pamong_pending_uploads"
FIELD_SUFFIX = "__kept"
MAX_AGE_SECONDS = 24 * 3600
FOLDER = "pending"


class PendingUploads:
    def __init__(self, request):
        self.session = request.session
        self.entries: dict[str, dict] = dict(self.session.get(SESSION_KEY, {}))

    # --- the next POST ------------------------------------------------------------------------------------
    def files_with_kept(self, data, files: MultiValueDict) -> MultiValueDict:
        """``request.FILES`` plus, for each field with kept tokens and no new file, the kept files."""
        merged = files.copy()
        for key in data:
            if not key.endswith(FIELD_SUFFIX):
                continue
            name = key[: -len(FIELD_SUFFIX)]
            if any(getattr(f, "size", 0) for f in files.getlist(name)):
                continue  # a new file replaces what was kept
            kept = [f for f in (self._open(token) for token in data.getlist(key)) if f is not None]
            if kept:
                merged.setlist(name, kept)
        return merged

    def _open(self, token: str) -> UploadedFile | None:
        entry = self.entries.get(token)
        if entry is None or not default_storage.exists(entry["path"]):
            return None
        upload = UploadedFile(file=default_storage.open(entry["path"], "rb"), name=entry["name"],
                              content_type=entry.get("content_type"), size=entry["size"])
        upload.pending_token = token
        return upload

    # --- showing the form again ---------------------------------------------------------------------------
    def keep(self, form_list, files: MultiValueDict) -> None:
        """Keep the files of every file field without an error in ``form_list``; each such field gets ``kept``
        (a list of {"token", "name"}) for the template to show and post back."""
        self._expire()
        for form in form_list:
            for name, field in form.fields.items():
                if not isinstance(field, forms.FileField):
                    continue
                html_name = form.add_prefix(name)
                if form.errors.get(name):
                    field.kept = []
                    continue
                field.kept = [{"token": self._store(f), "name": f.name} for f in files.getlist(html_name)
                              if getattr(f, "size", 0)]
        self._save()

    def _store(self, upload) -> str:
        token = getattr(upload, "pending_token", None)
        if token in self.entries:
            return token
        token = secrets.token_urlsafe(18)
        safe = (upload.name or "berkas").replace("/", "_").replace("\\", "_")[-100:]
        upload.seek(0)
        path = default_storage.save(f"{FOLDER}/{token}/{safe}", upload)
        upload.seek(0)
        self.entries[token] = {"path": path, "name": upload.name, "size": upload.size,
                               "content_type": getattr(upload, "content_type", None), "at": time.time()}
        return token

    # --- the form succeeded -------------------------------------------------------------------------------
    def discard(self, data=None) -> None:
        """Remove the kept files (all of this session's, or those posted in ``data``)."""
        tokens = list(self.entries) if data is None else [
            t for key in data if key.endswith(FIELD_SUFFIX) for t in data.getlist(key)]
        for token in tokens:
            entry = self.entries.pop(token, None)
            if entry:
                default_storage.delete(entry["path"])
        self._save()

    def _expire(self) -> None:
        cutoff = time.time() - MAX_AGE_SECONDS
        for token in [t for t, e in self.entries.items() if e.get("at", 0) < cutoff]:
            default_storage.delete(self.entries.pop(token)["path"])

    def _save(self) -> None:
        if self.entries:
            self.session[SESSION_KEY] = self.entries
        else:
            self.session.pop(SESSION_KEY, None)
