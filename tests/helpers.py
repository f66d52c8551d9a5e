"""Helpers for tests that run the real modules in-process against the simulator."""

import contextlib
import io
import json
import re

import pytest

import dev

USERNAME = dev.DEMO_USER
PASSWORD = dev.DEMO_PASSWORD
# Every module of the collection; tests over "each module" use this, so new modules need no test edits.
MODULES = sorted(path.stem for path in (dev.ROOT / "plugins" / "modules").glob("*.py") if not path.name.startswith("_"))


def connection_args(simulator, **overrides):
    args = dict(hostname=simulator.host, port=simulator.port, username=USERNAME, password=PASSWORD)
    args.update(overrides)
    return args


@contextlib.contextmanager
def _module_args(args):
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # ansible-core < 2.19
        from unittest import mock

        from ansible.module_utils import basic

        payload = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", payload):
            yield
    else:
        with patch_module_args(args):
            yield


def run_module(main, args, check_mode=False, diff=False):
    """Run a module's real main() with real argument parsing; return its JSON result."""
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    stdout = io.StringIO()
    with _module_args(args), contextlib.redirect_stdout(stdout):
        with pytest.raises(SystemExit) as exit_info:
            main()
    result = json.loads(stdout.getvalue())
    assert exit_info.value.code == (1 if result.get("failed") else 0)
    return result


def assert_logged_out(simulator):
    """Every API session the simulator issued was logged out again."""
    logins = [e for e in simulator.calls(route="login") if e["status"] == 201]
    assert len(logins) == len(simulator.calls(route="logout"))
    assert simulator.active_tokens == {}


def assert_saw(simulator, patches):
    """Exactly ``patches`` PATCH calls, and every API session logged out."""
    assert len(simulator.calls("PATCH")) == patches
    assert_logged_out(simulator)


def vmware_env(simulator):
    """The VMWARE_* variables AWX's VMware credential sets, for the simulator, and trust in its CA."""
    return dict(
        VMWARE_HOST=simulator.host,
        VMWARE_PORT=str(simulator.port),
        VMWARE_USER=USERNAME,
        VMWARE_PASSWORD=PASSWORD,
        REQUESTS_CA_BUNDLE=simulator.ca_file,
    )


def play_statuses(output):
    """The task statuses ansible-playbook's default output reports for localhost, in order."""
    return re.findall(r"^(changed|ok|failed|fatal): \[localhost\]", output, re.MULTILINE)
