# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An update session's preview: seeded on its library item, or derived from the content added to the session.

Once a ``.cert`` or an ``.ovf`` has been added to a session, its content decides the preview:
with a ``.cert``, PREPARING until the ``.mf``, the ``.cert`` and the ``.ovf`` are all READY, then
AVAILABLE with the certificate and the warnings it raises; an ``.ovf`` without a ``.cert`` is
PREPARING until it is READY, then NOT_APPLICABLE. The item's ``preview_delay`` holds it PREPARING
that many seconds longer, counted from the last of those files becoming READY. Other sessions keep
the seeded preview.
"""

import datetime

from .preview import compute_preview
from .vapi import utcnow

DELAYED_STATES = ("AVAILABLE", "NOT_APPLICABLE")


def preview(state, session, completing=False):
    """``{"state", "warnings" (types), "certificate" (certificate_info and cert_chain, or None)}``.

    ``completing``: the outcome of a completion ignores the seeded preview's delay.
    """
    derived = content_preview(state, session, completing)
    if derived is not None:
        return derived
    preview_state = session["preview_state"]
    if not completing and preview_state in DELAYED_STATES and utcnow() < session["preview_ready_at"]:
        preview_state = "PREPARING"
    certificate = state.certificate_info() if session["signed"] and preview_state != "PREPARING" else None
    return {"state": preview_state, "warnings": list(session["preview_warnings"]), "certificate": certificate}


def content_preview(state, session, completing=False):
    """The preview the session's added files make, or None when no ``.cert`` or ``.ovf`` has been added."""
    added = [record for record in session["files"].values() if record["source_type"] != "NONE"]

    def first(suffix):
        return next((record for record in added if record["name"].lower().endswith(suffix)), None)

    cert, ovf = first(".cert"), first(".ovf")
    if cert is None and ovf is None:
        return None
    metadata = (ovf,) if cert is None else (first(".mf"), cert, ovf)
    if any(record is None or record["status"] != "READY" for record in metadata):
        return _preview("PREPARING")
    ready_at = max(record["ready_at"] for record in metadata)
    if not completing and utcnow() < ready_at + datetime.timedelta(seconds=session["preview_delay"]):
        return _preview("PREPARING")
    if cert is None:
        return _preview("NOT_APPLICABLE")
    cached = session.get("content_preview")
    if cached is None or cached["sha1"] != cert["sha1"]:
        with open(cert["path"], "rb") as handle:
            cached = {"sha1": cert["sha1"], "preview": _compute(handle.read(), state.trusted_roots)}
        session["content_preview"] = cached
    return dict(cached["preview"])


def _preview(preview_state, warnings=(), certificate=None):
    return {"state": preview_state, "warnings": list(warnings), "certificate": certificate}


def _compute(cert_bytes, trusted_roots):
    try:
        computed = compute_preview(cert_bytes, trusted_roots, utcnow())
    except ValueError:
        return _preview("UNAVAILABLE")  # validation names the .cert as invalid
    certificate = {"certificate_info": computed["certificate_info"], "cert_chain": computed["cert_chain"]}
    return _preview("AVAILABLE", computed["warnings"], certificate)


def certificate_of(pem):
    """certificate_info and cert_chain of one PEM certificate."""
    computed = compute_preview(pem)
    return {"certificate_info": computed["certificate_info"], "cert_chain": computed["cert_chain"]}
