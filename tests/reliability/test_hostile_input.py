# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile input: identifiers and host names never steer a request elsewhere, and random option
values always end in a clean result or a clean failure, with no request for invalid ones."""

import json
import math
import os

import pytest
from ansible.module_utils.parsing.convert_bool import BOOLEANS, boolean
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import WARNING_TYPES, as_mapping
from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from helpers import connection_args, run_module

SELF_SIGNED = {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}
QUOTED_WHOLE = [
    "/", ".", "..", "...", "../../session", "%2F", "a%2Fb", "a/b", "?", "#", "x?y#z", "with space", " leading",
    "ünïcode-é", "日本語", "💥", "\x00", "line\nbreak", "tab\there", "semi;colon", "amp&eq=1", "back\\slash",
    "a" * 1024, "🙂" * 1024,
]
REJECTED = ["", "   ", "\t\n", "a" * 1025, "x" * 10240, "é" * 10240]


def run(sim, session_id, **options):
    args = connection_args(sim, update_session_id=session_id, warning_behavior=[SELF_SIGNED], retry_backoff=0)
    args.update(options)
    return run_module(main, args)


def assert_clean(result):
    assert "exception" not in result and "Traceback" not in json.dumps(result)


@pytest.mark.parametrize("session_id", QUOTED_WHOLE, ids=lambda text: "%r" % text[:20])
def test_identifier_is_quoted_whole_into_its_own_path_segment(trusted_simulator, figures, session_id):
    sim = trusted_simulator
    sim.state.add_update_session(session_id)
    decoy = sim.state.add_update_session("session")
    result = run(sim, session_id)
    figures.add("hostile", "hostile.inputs")
    assert result["changed"] is True and result["update_session"]["id"] == session_id
    touched = [e for e in sim.requests if e["route"] not in ("login", "logout")]
    escaped = [e for e in touched if e["path_params"] != {"update_session_id": session_id}]
    figures.add("hostile", "hostile.escapes", len(escaped))
    assert not escaped
    assert [(e["method"], e["route"]) for e in touched] == [
        ("GET", "get_session"), ("PATCH", "update_session"), ("GET", "get_session")]
    assert sim.state.update_sessions[decoy]["warning_behavior"] == []


@pytest.mark.parametrize("session_id", REJECTED, ids=lambda text: "%r" % text[:12])
def test_unusable_identifier_is_refused_before_any_request(trusted_simulator, figures, session_id):
    result = run(trusted_simulator, session_id)
    figures.add("hostile", "hostile.inputs")
    assert result["failed"] is True and result["msg"].startswith("update_session_id ")
    assert_clean(result)
    assert trusted_simulator.requests == []


def hostile_hostnames(port):
    return [
        "127.0.0.1/api", "127.0.0.1:%d/x" % port, "user@127.0.0.1", "user:pw@127.0.0.1", "@127.0.0.1",
        "127.0.0.1?x=1", "127.0.0.1#frag", "http://127.0.0.1", "ftp://127.0.0.1", "//127.0.0.1",
        "https://127.0.0.1:%d/api/session" % port, "127.0.0.1\r\nHost: evil.example", "127.0.0.1\tx",
        "https://127.0.0.1:%d@evil.example" % port, "https://evil.example\\@127.0.0.1", "", "   ", "https://",
        "[::1", "127.0.0.1:99999", "127.0.0.1:port", "127.0.0.1%0d%0aHost:evil",
    ]


def test_hostile_hostnames_are_refused_before_any_request(trusted_simulator, figures):
    for hostname in hostile_hostnames(trusted_simulator.port):
        result = run(trusted_simulator, "s-1", hostname=hostname)
        figures.add("hostile", "hostile.inputs")
        assert result["failed"] is True, hostname
        assert_clean(result)
        assert trusted_simulator.requests == [], hostname


@pytest.mark.parametrize("hostname", [" 127.0.0.1 ", "https://127.0.0.1:{port}", "https://127.0.0.1:{port}/",
                                      "HTTPS://127.0.0.1:{port}"])
def test_harmless_hostname_forms_are_normalised(trusted_simulator, figures, hostname):
    session_id = trusted_simulator.state.add_update_session()
    result = run(trusted_simulator, session_id, hostname=hostname.format(port=trusted_simulator.port))
    figures.add("hostile", "hostile.inputs")
    assert result["changed"] is True


# -- fuzzing the argument spec ------------------------------------------------------------

OMIT = object()
VALID_BOOLS = sorted(BOOLEANS, key=repr)
BAD_BOOLS = ["maybe", 7, "2"]
REQUIRED = ("hostname", "username", "password", "update_session_id", "warning_behavior")
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 100000),
                    st.sampled_from(["fast", "nan", "inf", "-1", "1e400", "0.5", "  2 "]))
ENTRIES = st.lists(st.fixed_dictionaries(
    {"type": st.sampled_from(list(WARNING_TYPES) + ["BOGUS", "self_signed_certificate", ""])},
    optional={"ignored": st.sampled_from(VALID_BOOLS + BAD_BOOLS + [None]), "colour": st.just("red")},
), max_size=5)


def url_hostnames(sim):
    return ["https://127.0.0.1:%d" % sim.port, "https://127.0.0.1:%d/" % sim.port]


def option_values(sim):
    """For each option, the values to try: valid ones, hostile ones and plain junk."""
    return {
        "hostname": st.sampled_from([OMIT, sim.host, " 127.0.0.1 "] + url_hostnames(sim) + hostile_hostnames(sim.port)),
        "port": st.sampled_from([str(sim.port), 0, 70000, -5, "eighty"]),
        "username": st.one_of(st.sampled_from([OMIT, "", "nobody@vsphere.local"]), st.text(max_size=12)),
        "password": st.one_of(st.just(OMIT), st.text(max_size=12)),
        "validate_certs": st.sampled_from([OMIT] + VALID_BOOLS + BAD_BOOLS),
        "request_timeout": st.one_of(st.just(OMIT), NUMBERS),
        "retry_backoff": st.one_of(st.just(OMIT), NUMBERS),
        "retries": st.one_of(st.sampled_from([OMIT, "3", "three", -1]), st.integers(-3, 10 ** 9)),
        "ca_path": st.one_of(st.sampled_from([sim.ca_file, "/nonexistent/ca.pem", "~/nowhere.pem"]),
                             st.text(max_size=10)),
        "proxy_host": st.sampled_from(["127.0.0.1", "http://127.0.0.1", "user@proxy", ""]),
        "proxy_port": st.sampled_from([0, 70000, "x"]),
        "proxy_protocol": st.one_of(st.sampled_from(["http", "https", "socks5"]), st.text(max_size=6)),
        "update_session_id": st.one_of(st.sampled_from([OMIT, "x" * 1500, "   "]), st.text(max_size=30)),
        "warning_behavior": st.one_of(st.sampled_from([OMIT, "SELF_SIGNED_CERTIFICATE"]), ENTRIES),
        "purge_warning_behavior": st.sampled_from([OMIT] + VALID_BOOLS + BAD_BOOLS),
        "colour": st.just("red"),
    }


@st.composite
def module_args(draw, sim, session_id):
    """Valid options with up to three of them replaced by random, hostile or missing values."""
    args = connection_args(sim, update_session_id=session_id, warning_behavior=[SELF_SIGNED], retry_backoff=0)
    values = option_values(sim)
    for name in draw(st.lists(st.sampled_from(sorted(values)), max_size=3, unique=True)):
        value = draw(values[name])
        if value is OMIT:
            args.pop(name, None)
        else:
            args[name] = value
    return args


def number(value, convert):
    try:
        return convert(value)
    except (TypeError, ValueError, OverflowError):
        return None


def int_value(value):
    return value if isinstance(value, int) else number(value, int)


def seconds_are_valid(value, allow_zero):
    value = number(value, float)
    return value is not None and math.isfinite(value) and (value >= 0 if allow_zero else value > 0) and value <= 86400


def requested_behavior(entries):
    """The warning_behavior the module must accept, or None: an oracle written apart from the module's code."""
    if not isinstance(entries, list):
        return None
    requested = {}
    for entry in entries:
        ignored = entry.get("ignored")
        if entry["type"] not in WARNING_TYPES or "colour" in entry or (ignored is not None and ignored not in VALID_BOOLS):
            return None
        ignored = True if ignored is None else boolean(ignored)
        if requested.get(entry["type"], ignored) != ignored:
            return None
        requested[entry["type"]] = ignored
    return requested


def judge(args, sim):
    """``(invalid, unjudged)``: why the module must refuse ``args``, and why a valid run may still fail."""
    invalid, unjudged = [], []
    invalid += ["%s missing" % name for name in REQUIRED if name not in args]
    invalid += ["unsupported option"] if "colour" in args else []
    if "hostname" in args and args["hostname"] not in [sim.host, " 127.0.0.1 "] + url_hostnames(sim):
        invalid.append("hostname")
    port = int_value(args.get("port"))
    if port is None or (args.get("hostname") not in url_hostnames(sim) and not 0 < port < 65536):
        invalid.append("port")
    if args.get("username") == "":
        invalid.append("username")
    validate_certs = args.get("validate_certs", True)
    if validate_certs not in VALID_BOOLS:
        invalid.append("validate_certs")
    if not seconds_are_valid(args.get("request_timeout", 60), allow_zero=False):
        invalid.append("request_timeout")
    elif number(args.get("request_timeout", 60), float) < 1:
        unjudged.append("request_timeout too short to finish a run")
    if not seconds_are_valid(args.get("retry_backoff", 1), allow_zero=True):
        invalid.append("retry_backoff")
    retries = int_value(args.get("retries", 3))
    if retries is None or retries < 0:
        invalid.append("retries")
    ca_path = args.get("ca_path")
    if ca_path and validate_certs in VALID_BOOLS and boolean(validate_certs):
        if not os.path.exists(os.path.expanduser(os.path.expandvars(ca_path))):
            invalid.append("ca_path")
        elif ca_path != sim.ca_file:
            unjudged.append("ca_path names another CA")
    if bool(args.get("proxy_host")) or "proxy_port" in args:
        invalid.append("proxy")  # only one of the pair, or an unusable port: never a usable proxy here
    if args.get("proxy_protocol", "http") not in ("http", "https"):
        invalid.append("proxy_protocol")
    session_id = args.get("update_session_id")
    if session_id is not None and (not session_id.strip() or len(session_id) > 1024):
        invalid.append("update_session_id")
    if "warning_behavior" in args and requested_behavior(args["warning_behavior"]) is None:
        invalid.append("warning_behavior")
    if args.get("purge_warning_behavior", False) not in VALID_BOOLS:
        invalid.append("purge_warning_behavior")
    return invalid, unjudged


@settings(max_examples=200, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_options_end_cleanly_and_invalid_ones_send_nothing(trusted_simulator, figures, data):
    sim = trusted_simulator
    session_id = "fuzzed-session"
    if session_id not in sim.state.update_sessions:
        sim.state.add_update_session(session_id)
    sim.state.update_sessions[session_id]["warning_behavior"] = []
    sim.clear_log()
    args = data.draw(module_args(sim, session_id))
    check_mode = data.draw(st.booleans())
    invalid, unjudged = judge(args, sim)
    figures.add("fuzz", "fuzz.runs")
    result = run_module(main, args, check_mode=check_mode)
    assert_clean(result)
    assert sim.active_tokens == {}
    if invalid:
        figures.add("fuzz", "fuzz.invalid")
        figures.add("fuzz", "fuzz.leaks", 1 if sim.requests else 0)
        assert result.get("failed") is True, (invalid, args)
        assert sim.requests == [], (invalid, args)
        return
    if unjudged:
        return
    assert sim.requests, args
    if not result.get("failed"):
        assert args["update_session_id"] == session_id, "only that session exists"
        requested = requested_behavior(args["warning_behavior"])
        assert requested.items() <= as_mapping(result["update_session"].get("warning_behavior")).items()
        if not check_mode:
            server = as_mapping(sim.state.update_sessions[session_id]["warning_behavior"])
            assert as_mapping(result["update_session"].get("warning_behavior")) == server
    else:
        expected = ("update session %s not found" % args["update_session_id"],
                    "authentication failed for user %s at 127.0.0.1:%d" % (args["username"], sim.port))
        assert result["msg"] in expected, (result["msg"], args)
