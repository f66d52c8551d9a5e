# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Users, API sessions, libraries, library items, update and download sessions: the simulator's state and its
clock."""

import copy
import datetime
import shutil
import tempfile
import threading
import uuid

import trustme

from . import files as files_model
from . import manifest, ova, session_preview
from .download_state import DownloadState
from .libraries import LibraryState
from .vapi import (
    DEFAULT_USERS, SESSION_EXPIRY_SECONDS, SESSION_SETTINGS, WARNING_MESSAGES, check_warning_types, message,
    session_model, utcnow,
)


class SimulatorState(LibraryState, DownloadState):
    """Users, API sessions, libraries, library items, update and download sessions; every change under one lock.

    Time moves the state on, as on vCenter: a preview is PREPARING until its
    delay has passed, a completion the server finishes in the background takes
    its delay, a download prepare takes its delay, and an ACTIVE session idle
    past its expiration time is deleted. ``refresh()`` applies them all; every
    request calls it first.
    """

    def __init__(self, users=None, session_expiry=SESSION_EXPIRY_SECONDS, trusted_roots=(), newer_warning_types=()):
        self.lock = threading.RLock()
        # The preview warnings the simulator can raise: a later release's too, when it plays one.
        self.warning_messages = dict(WARNING_MESSAGES, **{
            warning_type: "The content raised %s." % warning_type for warning_type in newer_warning_types})
        self.session_expiry = datetime.timedelta(seconds=session_expiry)
        self._signer = None
        self.users = dict(users or DEFAULT_USERS)
        self.tokens = {}
        self.issued_tokens = []
        self.libraries = {}
        self.items = {}
        self.update_sessions = {}
        # client_token -> the id its create answered: update sessions, library items.
        self.client_tokens = {}
        self.item_client_tokens = {}
        # PEM certificates that signed content must chain to, or the preview warns UNTRUSTED_CERTIFICATE.
        self.trusted_roots = list(trusted_roots)
        # Upload token -> (update session id, file record) of every PUSH endpoint handed out.
        self.upload_tokens = {}
        self.download_sessions = {}
        self.download_client_tokens = {}
        self.download_tokens = {}
        self._content_dir = None

    # -- seeding ---------------------------------------------------------------

    def add_update_session(self, session_id=None, library_item_id=None, state="ACTIVE", warning_behavior=None,
                           client_progress=0, owner=None, error_message=None, **item_overrides):
        """An update session; preview and delays come from its item unless ``item_overrides`` name them."""
        session_id = session_id or str(uuid.uuid4())
        with self.lock:
            if library_item_id is None or library_item_id not in self.items:
                library_item_id = self.add_library_item(library_item_id)
            settings = dict(self.items[library_item_id])
            unknown = set(item_overrides) - set(SESSION_SETTINGS)
            if unknown:
                raise TypeError("unknown update session settings: %s" % ", ".join(sorted(unknown)))
            settings.update(item_overrides)
            check_warning_types(settings["preview_warnings"], self.warning_messages)
            now = utcnow()
            self.update_sessions[session_id] = {
                "library_item_id": library_item_id,
                "library_item_content_version": self.items[library_item_id]["content_version"],
                "state": state,
                "client_progress": client_progress,
                "expiration_time": now + self.session_expiry,
                "warning_behavior": copy.deepcopy(list(warning_behavior or [])),
                "preview_state": settings["preview_state"],
                "preview_warnings": list(settings["preview_warnings"]),
                "preview_ready_at": now + datetime.timedelta(seconds=float(settings["preview_delay"])),
                "preview_delay": float(settings["preview_delay"]),
                "completion_delay": float(settings["completion_delay"]),
                "signed": bool(settings["signed"]),
                "completion": None,
                "error_message": error_message,
                "owner": owner or next(iter(self.users)),
                "files": {name: files_model.unchanged_file(record)
                          for name, record in self.items[library_item_id]["files"].items()},
            }
        return session_id

    def seed(self, data):
        """Seed from a plain document (the CLI's --seed file): users, libraries, library_items, update_sessions,
        download_sessions.

        Each entry takes the keyword arguments of ``add_library``, ``add_library_item``, ``add_update_session``
        or ``add_download_session``, with ``id`` for the identifier.
        """
        with self.lock:
            if "users" in data:
                self.users = dict(data["users"])
            for library in data.get("libraries", []):
                library = dict(library)
                self.add_library(library.pop("id", None), **library)
            for item in data.get("library_items", []):
                item = dict(item)
                self.add_library_item(item.pop("id", None), **item)
            for session in data.get("update_sessions", []):
                session = dict(session)
                self.add_update_session(session.pop("id", None), **session)
            for session in data.get("download_sessions", []):
                session = dict(session)
                self.add_download_session(session.pop("id", None), **session)

    # -- time ------------------------------------------------------------------

    def refresh(self, now=None):
        """Finish completions and prepares whose delay has passed, and delete expired ACTIVE sessions."""
        now = now or utcnow()
        with self.lock:
            for session_id, session in list(self.update_sessions.items()):
                if session["state"] != "ACTIVE":
                    continue
                if session["completion"] is not None and now >= session["completion"]["at"]:
                    self._finish_completion(session)
                elif now > session["expiration_time"]:
                    # "the update session will expire, then be deleted"
                    del self.update_sessions[session_id]
            self.refresh_downloads(now)

    def begin_completion(self, session_id):
        """Decide the outcome now, from what is ignored now; apply it at once or after the delay."""
        session = self.update_sessions[session_id]
        if session["completion"] is not None:
            return  # already completing in the background
        raised = []
        preview = session_preview.preview(self, session, completing=True)
        if preview["state"] == "AVAILABLE":
            ignored = self.ignored_types(session_id)
            raised = [w for w in preview["warnings"] if w not in ignored]
        session["completion"] = {
            "at": utcnow() + datetime.timedelta(seconds=session["completion_delay"]),
            "raised": raised,
        }
        if session["completion_delay"] <= 0:
            self._finish_completion(session)

    def _finish_completion(self, session):
        raised = session["completion"]["raised"]
        if raised:
            # "Any warning which is raised by session preview but not ignored by the client will,
            # by default, fail the update session."
            session["state"] = "ERROR"
            session["error_message"] = message(
                "com.vmware.content.updatesession.WarningsNotIgnored",
                "The update session raised warnings that were not ignored: %s." % ", ".join(raised),
                *raised
            )
            return
        item = self.items[session["library_item_id"]]
        try:
            files = ova.expanded(session["files"], item, self.content_dir())
        except ova.OvaError as error:
            session["state"] = "ERROR"
            session["error_message"] = message("com.vmware.content.updatesession.InvalidOva", str(error))
            return
        broken = manifest.problems(files, item["files"]) if item.get("type") == "ovf" else []
        if broken:
            session["state"] = "ERROR"
            session["error_message"] = message("com.vmware.content.updatesession.ManifestMismatch",
                                               "The OVF package does not match its manifest: %s." % "; ".join(broken),
                                               *broken)
            return
        session["state"] = "DONE"
        session["client_progress"] = 100
        item["content_version"] = str(int(item["content_version"]) + 1)
        item["last_modified_time"] = utcnow()
        files_model.apply_files(item, files)

    def certificate_info(self):
        """The certificate of seeded signed content: one self-signed signer per simulator."""
        if self._signer is None:
            self._signer = session_preview.certificate_of(
                trustme.CA(organization_name="Simulated Content Signer").cert_pem.bytes())
        return copy.deepcopy(self._signer)

    # -- content ---------------------------------------------------------------

    def content_dir(self):
        """Where received content is kept: a temporary directory, made on first use, gone at ``close()``."""
        with self.lock:
            if self._content_dir is None:
                self._content_dir = tempfile.mkdtemp(prefix="vcenter-simulator-content-")
            return self._content_dir

    def close(self):
        with self.lock:
            if self._content_dir is not None:
                shutil.rmtree(self._content_dir, ignore_errors=True)
                self._content_dir = None

    # -- views -----------------------------------------------------------------

    def model(self, session_id):
        """The UpdateSessionModel as GET returns it: no id, optional fields only when set."""
        session = self.update_sessions[session_id]
        model = session_model(session)
        if session["warning_behavior"]:
            model["warning_behavior"] = copy.deepcopy(session["warning_behavior"])
        if session["state"] == "ACTIVE":
            preview = session_preview.preview(self, session)
            model["preview_info"] = {"state": preview["state"]}
            if preview["certificate"]:
                model["preview_info"].update(preview["certificate"])
            if preview["state"] == "AVAILABLE":
                ignored = self.ignored_types(session_id)
                model["preview_info"]["warnings"] = [
                    {
                        "type": warning_type,
                        "message": message("com.vmware.content.updatesession.%s" % warning_type,
                                           self.warning_messages[warning_type]),
                        "ignored": warning_type in ignored,
                    }
                    for warning_type in preview["warnings"]
                ]
        return model

    def ignored_types(self, session_id):
        behavior = {}
        for entry in self.update_sessions[session_id]["warning_behavior"]:
            behavior[entry["type"]] = entry["ignored"]
        return {warning_type for warning_type, ignored in behavior.items() if ignored}
