# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""vAPI vocabulary shared by the simulator's parts: constants, time, messages and error answers."""

import copy
import datetime

DEFAULT_USERS = {"administrator@vsphere.local": "VMware1!"}
UPDATE_SESSIONS = "/api/content/library/item/update-session"
# Where creates take their idempotency token: a header since the 8.0.3 bindings (see docs/wire-format.md).
CLIENT_TOKEN_HEADER = "Client-Token"
# vCenter's default update session expiry ("configurable ... The default is five minutes").
SESSION_EXPIRY_SECONDS = 300.0
WARNING_MESSAGES = {
    "SELF_SIGNED_CERTIFICATE": "The certificate of the content is self-signed.",
    "EXPIRED_CERTIFICATE": "The certificate of the content has expired.",
    "NOT_YET_VALID_CERTIFICATE": "The certificate of the content is not yet valid.",
    "UNTRUSTED_CERTIFICATE": "The certificate of the content is not trusted.",
}
# What a session takes from its library item unless told otherwise.
SESSION_SETTINGS = ("preview_state", "preview_warnings", "preview_delay", "completion_delay", "signed")
# Model fields the spec marks "not used for the update operation".
NOT_USED_FOR_UPDATE = (
    "id", "library_item_id", "library_item_content_version", "error_message",
    "client_progress", "state", "expiration_time", "preview_info",
)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def timestamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def session_model(session):
    """What the models of update and download sessions share: no id ("will not be present in the result of the
    get"), error_message only in ERROR."""
    model = {
        "library_item_id": session["library_item_id"],
        "library_item_content_version": session["library_item_content_version"],
        "state": session["state"],
        "client_progress": session["client_progress"],
        "expiration_time": timestamp(session["expiration_time"]),
    }
    if session["state"] == "ERROR" and session["error_message"]:
        model["error_message"] = copy.deepcopy(session["error_message"])
    return model


def message(message_id, text, *args):
    return {"id": message_id, "default_message": text, "args": [str(a) for a in args]}


def created_once(headers, answered, create):
    """A create's answer, (201, id): ``create()``'s new id, remembered in ``answered`` under the request's
    ``Client-Token`` header (never ``?client_token=``, see wire.py). A token seen before names that creation
    request: its id again, even if what it created is gone since."""
    client_token = headers.get(CLIENT_TOKEN_HEADER)
    if client_token and client_token in answered:
        return 201, answered[client_token]
    created = create()
    if client_token:
        answered[client_token] = created
    return 201, created


def check_warning_types(warning_types, known=None):
    known = WARNING_MESSAGES if known is None else known
    for warning_type in warning_types:
        if warning_type not in known:
            raise ValueError("unknown warning type %r" % warning_type)


class VapiError(Exception):
    """An error answer with a vAPI error body."""

    def __init__(self, status, error_type, text, message_id=None):
        super().__init__(text)
        self.status = status
        self.body = {
            "error_type": error_type,
            "messages": [message(message_id or "vapi.std.errors.%s" % error_type.lower(), text)],
        }


def not_found(kind, identifier):
    return VapiError(404, "NOT_FOUND", "%s with identifier '%s' does not exist." % (kind, identifier))


def known(records, kind, identifier):
    """``records[identifier]``, or the 404 NOT_FOUND that answers for an unknown identifier."""
    if identifier not in records:
        raise not_found(kind, identifier)
    return records[identifier]


def invalid_argument(text):
    return VapiError(400, "INVALID_ARGUMENT", text)


def not_allowed(session_id, state, operation, required="it must be ACTIVE", kind="update session"):
    return VapiError(
        400, "NOT_ALLOWED_IN_CURRENT_STATE",
        "Cannot %s %s '%s' in state %s; %s." % (operation, kind, session_id, state, required),
    )
