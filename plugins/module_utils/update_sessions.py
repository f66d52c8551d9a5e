# -*- coding: utf-8 -*-
# Copyright: vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Update sessions over a logged-in VSphereClient: the API calls and the workflows built on them.

The decisions are made by the pure functions of ``warning_behavior``; this
module only sequences the calls around them.
"""

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    UpdateSessionError,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client import api_path
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import (
    ensure_applied,
    ensure_updatable,
    plan_warning_behavior,
    predict_session,
)

UPDATE_SESSIONS = "/api/content/library/item/update-session"


def get_update_session(client, session_id):
    """The session model with its ``id`` added (GET omits it); UpdateSessionError when unknown."""
    try:
        session = client.request(
            "GET", api_path(UPDATE_SESSIONS, session_id), "get update session %s" % session_id
        )
    except ApiError as exc:
        if exc.is_not_found:
            raise UpdateSessionError("update session %s not found" % session_id, status=404)
        raise
    session = dict(session or {})
    session["id"] = session_id
    return session


def update_warning_behavior(client, session_id, warning_behavior):
    """PATCH only ``warning_behavior``; other model fields are never sent."""
    client.request(
        "PATCH",
        api_path(UPDATE_SESSIONS, session_id),
        "update update session %s" % session_id,
        body={"warning_behavior": warning_behavior},
    )


def ensure_warning_behavior(client, session_id, requested, purge, check_mode):
    """Bring a session's warning_behavior to ``requested``; return ``(plan, session)``.

    ``session`` is the session as read after the change, or as predicted in
    check mode. No PATCH is sent when nothing would change.
    """
    session = get_update_session(client, session_id)
    plan = plan_warning_behavior(session.get("warning_behavior"), requested, purge)
    if not plan.changed:
        return plan, session
    # Fail in check mode too: the real run would.
    ensure_updatable(session_id, session)
    if check_mode:
        return plan, predict_session(session, plan.desired)
    update_warning_behavior(client, session_id, plan.after)
    session = get_update_session(client, session_id)
    ensure_applied(session_id, plan, session)
    return plan, session
