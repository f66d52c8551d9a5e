# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Each way of not getting a usable answer fails the module with one sentence naming the host and port."""

import json

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from helpers import connection_args, run_module

SELF_SIGNED = {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}


@pytest.fixture
def fail(trusted_simulator, figures):
    """Run the module with overrides; assert a clean one-line failure and return its message."""

    def run(**overrides):
        args = connection_args(trusted_simulator, update_session_id="s-1", warning_behavior=[SELF_SIGNED],
                               retry_backoff=0)
        args.update(overrides)
        result = run_module(main, args)
        assert result["failed"] is True
        assert "\n" not in result["msg"] and "exception" not in result and "Traceback" not in json.dumps(result)
        figures.add("transport", "transport.failed_clearly")
        return result["msg"]

    return run


def test_connection_refused(fail, closed_port):
    assert fail(port=closed_port) == "log in failed: 127.0.0.1:%d refused the connection" % closed_port


def test_dns_failure(fail):
    message = fail(hostname="vcenter.invalid", port=8443)
    assert message.startswith("log in failed: the host name of vcenter.invalid:8443 does not resolve (")


def test_read_timeout(fail, trusted_simulator):
    trusted_simulator.inject_fault(method="POST", path="^/api/session$", delay=1.5)
    port = trusted_simulator.port
    assert fail(request_timeout=0.5) == (
        "log in timed out: 127.0.0.1:%d did not answer within 0.5 seconds (request_timeout)" % port)


def test_tls_handshake_with_a_server_that_does_not_speak_tls(fail, plain_http_server):
    message = fail(port=plain_http_server.port, retries=2)
    assert message.startswith("TLS handshake with 127.0.0.1:%d failed: " % plain_http_server.port)
    assert message.endswith("; is that the vCenter HTTPS port?")
    assert plain_http_server.connections == 3, "a failed handshake is a connection error: tried again"


def test_html_page_where_json_was_expected(fail, trusted_simulator):
    trusted_simulator.inject_fault(method="GET", path="update-session", status=200,
                                   body="<html><body><h1>Scheduled maintenance</h1></body></html>")
    assert fail() == ("get update session s-1 failed: HTTP 200 from 127.0.0.1:%d with a body that is not JSON: "
                      "Scheduled maintenance" % trusted_simulator.port)


def test_5xx_after_all_retries(fail, trusted_simulator):
    trusted_simulator.inject_fault(method="GET", path="update-session", status=504, body="Gateway Timeout", times=-1)
    assert fail() == ("get update session s-1 failed: HTTP 504 from 127.0.0.1:%d after 4 attempts "
                      "(non-JSON response: Gateway Timeout)" % trusted_simulator.port)
    assert len(trusted_simulator.calls("GET")) == 4
