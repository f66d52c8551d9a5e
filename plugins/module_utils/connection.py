# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Connection options shared by every module, paired with ``doc_fragments/connection.py``.

The names, aliases and environment variables match the VMware collections and
AWX's VMware credential, so existing inventories and credentials just work.
"""

import contextlib
import signal
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.vsphere.content.plugins.module_utils.errors import TaskCanceled, VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import HAS_REQUESTS, VSphereClient
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.messages import redact
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import check_identifier


def connection_argument_spec():
    """The argument spec of the connection options; documented by ``vsphere.content.connection``."""
    return dict(
        hostname=dict(
            type="str", required=True, aliases=["vcenter_hostname"],
            fallback=(env_fallback, ["VMWARE_HOST"]),
        ),
        username=dict(
            type="str", aliases=["admin", "user", "vcenter_username"],
            fallback=(env_fallback, ["VMWARE_USER"]),
        ),
        password=dict(
            type="str", no_log=True, aliases=["pass", "pwd", "vcenter_password"],
            fallback=(env_fallback, ["VMWARE_PASSWORD"]),
        ),
        session_token=dict(
            type="str", no_log=True,
            fallback=(env_fallback, ["VMWARE_SESSION_TOKEN"]),
        ),
        port=dict(
            type="int", default=443, aliases=["vcenter_port"],
            fallback=(env_fallback, ["VMWARE_PORT"]),
        ),
        validate_certs=dict(
            type="bool", default=True, aliases=["vcenter_validate_certs"],
            fallback=(env_fallback, ["VMWARE_VALIDATE_CERTS"]),
        ),
        request_timeout=dict(
            type="float", default=60.0,
            fallback=(env_fallback, ["VMWARE_REQUEST_TIMEOUT"]),
        ),
        ca_path=dict(
            type="path",
            fallback=(env_fallback, ["VMWARE_CA_PATH"]),
        ),
        proxy_host=dict(
            type="str",
            fallback=(env_fallback, ["VMWARE_PROXY_HOST"]),
        ),
        proxy_port=dict(
            type="int",
            fallback=(env_fallback, ["VMWARE_PROXY_PORT"]),
        ),
        proxy_protocol=dict(
            type="str", default="http", choices=["http", "https"],
        ),
        retries=dict(
            type="int", default=3,
        ),
        retry_backoff=dict(
            type="float", default=1.0,
        ),
    )


@contextlib.contextmanager
def connect(module, **overrides):
    """A VSphereClient for the module's connection options (``overrides`` win), logged in or using
    ``session_token``; logs out on exit what it logged in to.

    A failed logout becomes a warning: it must neither fail a run that did its work nor
    hide the error of one that did not.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"))
    options = dict((name, module.params[name]) for name in connection_argument_spec())
    options.update(overrides)
    client = VSphereClient(**options)
    try:
        with client:
            yield client
    except VSphereContentError:
        raise
    except Exception:
        # The run fails, so it returns no token: fail_on_error keeps this client's secrets out of its message.
        module.no_log_values.update(secret for secret in client.secrets() if secret)
        raise
    finally:
        if client.logout_failure:
            module.warn("%s; the API session ends when vCenter expires it" % client.logout_failure)


@contextlib.contextmanager
def second_connection(module, client, options):
    """A client for a second vCenter, with ``options`` (its connection options; the timeouts and retries are the
    module's), or ``client`` itself when ``options`` is None."""
    if options is None:
        yield client
        return
    with connect(module, **options) as second:
        yield second


CANCEL_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextlib.contextmanager
def canceled_by_signals():
    """Turn the first SIGTERM or SIGINT into TaskCanceled, raised where the run is; ignore later ones, so that
    the cleanup it sets off (cancel and delete the session, delete an item the run created, log out) is not
    cut short. AWX cancels a job with SIGTERM, and would otherwise leave an ACTIVE update session behind."""

    def cancel(signum, _frame):
        for number in CANCEL_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise TaskCanceled("the task was canceled (%s) before it finished" % signal.Signals(signum).name)

    previous = dict((number, signal.signal(number, cancel)) for number in CANCEL_SIGNALS)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def fail_on_error(module):
    """Report any error as ``fail_json`` with a one-line ``msg``.

    A collection error is one sentence, with no traceback of ours. Any other exception is named as
    unexpected, with its traceback in ``exception`` for those who ask ansible-core to show it.
    """
    try:
        yield
    except VSphereContentError as exc:
        module.fail_json(**exc.to_fail_json())
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_json(**unexpected_failure(module, exc))


def unexpected_failure(module, exc):
    """``fail_json``'s arguments for ``exc``, being handled; the secrets the run knows are redacted."""
    lines = str(exc).strip().splitlines()
    what = "%s: %s" % (type(exc).__name__, lines[0]) if lines else type(exc).__name__
    # Longest first, so no part of a secret that contains another is left.
    secrets = sorted(module.no_log_values, key=len, reverse=True)
    return dict(msg=redact("Unexpected error in %s: %s" % (module._name, what), secrets),
                exception=redact(traceback.format_exc(), secrets))


def run_workflow(module, build_request, reconcile):
    """Build the request from the options, then connect and run the workflow; return both.

    The options are checked before connecting, so bad options send no request at all. The
    outcome's warnings are reported; any collection error fails the module in one sentence, and
    so does a cancel (SIGTERM, SIGINT), after the workflow has cleaned up.
    """
    with fail_on_error(module):
        request = build_request(module.params)
        with canceled_by_signals(), connect(module) as client:
            outcome = reconcile(client, request, module.check_mode)
    for warning in outcome.warnings:
        module.warn(warning)
    return request, outcome


def exit_with_outcome(module, outcome, **result):
    """Exit with ``changed``, ``result`` and, in diff mode, the outcome's diff."""
    if module._diff:
        result["diff"] = outcome.diff
    module.exit_json(changed=outcome.changed, **result)


def check_identifiers(params, *names):
    """Refuse, before connecting, ids no object can have: only whitespace (that would address the
    collection, not one item) or longer than any id."""
    for name in names:
        if params[name] is not None:
            check_identifier(params[name], name)
