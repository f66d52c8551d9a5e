# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The faults the soaks draw from: what each injects, and whether a run must survive it."""

import json
import re

SESSION_PATH = "^/api/session$"


def vapi_body(error_type, text):
    return json.dumps({"error_type": error_type, "messages": [{"id": "x", "default_message": text, "args": []}]})


class FaultKind:
    """``build(rng, session_path)`` returns the keyword arguments of each fault to inject."""

    def __init__(self, name, weight, survivable, build, request_timeout=None):
        self.name = name
        self.weight = weight
        self.survivable = survivable
        self.build = build
        # Runs with this fault use this request_timeout (the slow faults are measured against it).
        self.request_timeout = request_timeout


def _on(method, **fault):
    """One fault on the session's GET or PATCH, or on login (POST) or logout (DELETE)."""
    return lambda rng, path: [dict(fault, method=method, path=path if method in ("GET", "PATCH") else SESSION_PATH)]


FAULT_KINDS = [
    FaultKind("503 once on GET", 3, True, _on("GET", status=503, content_type="application/json",
                                              body=vapi_body("SERVICE_UNAVAILABLE", "Restarting."))),
    FaultKind("503 once with Retry-After: 1 on PATCH", 0.5, True,
              _on("PATCH", status=503, body="", headers={"Retry-After": "1"})),
    FaultKind("HTML 502 once on GET", 2, True, _on("GET", status=502, body="<h1>Bad Gateway</h1>")),
    FaultKind("504 once on PATCH", 2, True, _on("PATCH", status=504, body="")),
    FaultKind("429 once on GET", 2, True, _on("GET", status=429, body="", headers={"Retry-After": "0"})),
    FaultKind("connection dropped before the answer", 3, True, lambda rng, path: [
        rng.choice([dict(method="GET", path=path), dict(method="PATCH", path=path),
                    dict(method="POST", path=SESSION_PATH), dict(method="DELETE", path=SESSION_PATH)])
        | {"drop": True}]),
    FaultKind("503 once on login", 1, True, _on("POST", status=503, body="")),
    FaultKind("503 once on logout", 1, True, _on("DELETE", status=503, body="")),
    FaultKind("API session expired (401) on call 2-4", 2, True,
              lambda rng, path: [dict(after=rng.randint(1, 3), expire_session=True)]),
    FaultKind("slow answer within request_timeout", 1, True, _on("GET", delay=0.2)),
    FaultKind("connection cut mid-body on GET", 1, False, _on("GET", status=200, content_type="application/json",
                                                              body=json.dumps({"padding": "x" * 100}),
                                                              truncate=True)),
    FaultKind("503 on every PATCH", 1, False, _on("PATCH", status=503, body="", times=-1)),
    FaultKind("500 vAPI error once on PATCH", 1, False, _on("PATCH", status=500, content_type="application/json",
                                                            body=vapi_body("ERROR", "Internal error."))),
    FaultKind("API session rejected twice", 1, False, _on("GET", expire_session=True, times=2)),
    FaultKind("HTML 200 where JSON was expected", 1, False, _on("GET", status=200,
                                                                body="<html>Maintenance</html>")),
    FaultKind("slow answer past request_timeout", 0.5, False, _on("GET", delay=2.0), request_timeout=1.0),
]


def session_path(session_id):
    return re.escape(session_id) + "$"


def draw_faults(rng):
    """Zero, one or two fault kinds, by weight."""
    count = rng.choice([0, 1, 1, 2])
    return rng.choices(FAULT_KINDS, weights=[kind.weight for kind in FAULT_KINDS], k=count)
