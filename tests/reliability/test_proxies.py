# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every call through a real proxy process (proxy.py): explicit options, VMWARE_PROXY_*, HTTPS_PROXY and NO_PROXY."""

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from helpers import connection_args, request_sequence, run_module
from reliability_support import ProxyProcess

SELF_SIGNED = {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}


@pytest.fixture(autouse=True)
def only_this_tests_tunnels(request):
    if "proxy_server" in request.fixturenames:
        request.getfixturevalue("proxy_server").forget_earlier_tunnels()


@pytest.fixture
def sim(trusted_simulator, isolated_env, figures):
    isolated_env.setenv("REQUESTS_CA_BUNDLE", trusted_simulator.ca_file)
    figures.add("proxies", "proxies.scenarios")
    return trusted_simulator


def run(sim, **options):
    session_id = sim.state.add_update_session()
    args = connection_args(sim, update_session_id=session_id, warning_behavior=[SELF_SIGNED], retry_backoff=0)
    args.update(options)
    return run_module(main, args)


def test_proxy_options(sim, proxy_server):
    result = run(sim, proxy_host="127.0.0.1", proxy_port=proxy_server.port)
    assert result["changed"] is True
    assert len(proxy_server.connects(sim.port)) == 1, "one tunnel, reused for every call"
    assert [route for (_m, route, _s) in request_sequence(sim)] == [
        "login", "get_session", "update_session", "get_session", "logout"]


def test_proxy_from_vmware_variables(sim, proxy_server, isolated_env):
    isolated_env.setenv("VMWARE_PROXY_HOST", "127.0.0.1")
    isolated_env.setenv("VMWARE_PROXY_PORT", str(proxy_server.port))
    assert run(sim)["changed"] is True
    assert len(proxy_server.connects(sim.port)) == 1


def test_https_proxy_variable(sim, proxy_server, isolated_env):
    isolated_env.setenv("HTTPS_PROXY", "http://127.0.0.1:%d" % proxy_server.port)
    assert run(sim)["changed"] is True
    assert len(proxy_server.connects(sim.port)) == 1


def test_no_proxy_bypasses_https_proxy(sim, proxy_server, isolated_env):
    isolated_env.setenv("HTTPS_PROXY", "http://127.0.0.1:%d" % proxy_server.port)
    isolated_env.setenv("NO_PROXY", "127.0.0.1")
    assert run(sim)["changed"] is True
    # An explicit proxy_host is not subject to NO_PROXY: this run goes through and marks the log.
    assert run(sim, proxy_host="127.0.0.1", proxy_port=proxy_server.port)["changed"] is True
    assert len(proxy_server.connects(sim.port, expected=2, wait=3.0)) == 1, "only the explicit-proxy run tunnelled"


def test_proxy_reached_over_tls(sim, tmp_path):
    proxy_cert = sim.ca.issue_cert("127.0.0.1")
    proxy_cert.cert_chain_pems[0].write_to_path(str(tmp_path / "proxy-cert.pem"))
    proxy_cert.private_key_pem.write_to_path(str(tmp_path / "proxy-key.pem"))
    proxy = ProxyProcess(tmp_path, tmp_path / "proxy-cert.pem", tmp_path / "proxy-key.pem")
    try:
        result = run(sim, proxy_host="127.0.0.1", proxy_port=proxy.port, proxy_protocol="https",
                     ca_path=sim.ca_file)
        assert result["changed"] is True
        assert len(proxy.connects(sim.port)) == 1
    finally:
        proxy.stop()


def test_unreachable_proxy_fails_clearly(sim, closed_port):
    result = run(sim, proxy_host="127.0.0.1", proxy_port=closed_port)
    assert result["msg"].startswith("log in failed: the proxy for 127.0.0.1:%d could not be used: " % sim.port)
    assert "\n" not in result["msg"]
    assert sim.requests == []


@pytest.mark.parametrize("options, message", [
    (dict(proxy_host="127.0.0.1"), "proxy_host and proxy_port must be set together"),
    (dict(proxy_port=3128), "proxy_host and proxy_port must be set together"),
    (dict(proxy_host="http://proxy.example.com", proxy_port=3128), "set the scheme with proxy_protocol"),
    (dict(proxy_host="user:pw@proxy.example.com", proxy_port=3128), "must be a host name or IP address"),
    (dict(proxy_host="proxy.example.com:3128", proxy_port=3128), "without a port"),
    (dict(proxy_host="proxy.example.com", proxy_port=0), "proxy_port 0 is out of range"),
    (dict(proxy_host="proxy.example.com", proxy_port=3128, proxy_protocol="socks5"), "proxy_protocol must be one of"),
])
def test_unusable_proxy_options_send_nothing(sim, figures, options, message):
    figures.add("hostile", "hostile.inputs")
    result = run(sim, **options)
    assert result["failed"] is True and message in result["msg"]
    assert sim.requests == []
