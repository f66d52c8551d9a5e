# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection argument spec and its doc fragment describe the same options."""

import re

import pytest
import yaml

from ansible_collections.vsphere.content.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.vsphere.content.plugins.module_utils.connection import connection_argument_spec

SPEC = connection_argument_spec()
DOCUMENTED = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]


def test_same_option_names():
    assert set(SPEC) == set(DOCUMENTED)


@pytest.mark.parametrize("name", sorted(SPEC))
def test_option_is_documented_as_specified(name):
    spec, doc = SPEC[name], DOCUMENTED[name]
    assert doc["type"] == spec["type"]
    assert doc.get("required", False) == spec.get("required", False)
    assert doc.get("default") == spec.get("default")
    assert sorted(doc.get("aliases", [])) == sorted(spec.get("aliases", []))
    assert doc.get("no_log", spec.get("no_log", False)) == spec.get("no_log", False)
    documented_env = re.findall(r"E\((VMWARE_\w+)\)", " ".join(doc["description"]))
    assert documented_env == list(spec.get("fallback", (None, []))[1])


def test_the_password_is_never_logged():
    assert SPEC["password"]["no_log"] is True


def test_certificates_are_verified_by_default():
    assert SPEC["validate_certs"]["default"] is True


def test_each_call_gets_a_fresh_copy():
    connection_argument_spec()["hostname"]["aliases"].append("changed")
    assert connection_argument_spec()["hostname"]["aliases"] == ["vcenter_hostname"]
