# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Each request checked against the REST metadata of VMware's bindings for 8.0.3, 9.0 and 9.1.

The OpenAPI files (``spec.py``) describe bodies; these files (``specs/bindings/``, written by
``extract_bindings.py``) describe where each parameter goes on the wire, and where the two disagree the
bindings win: they are generated from the interface definitions the server is built from. A request fits
a release when its method, path, ``?action=`` dispatch, query parameters, API headers and body are what
that release's metadata makes of the operation's inputs, with the input types (enum values, struct fields)
that release knows. Each misfit is one sentence naming the release, the operation and the parameter.
"""

import glob
import json
import os
import re

from .extract_bindings import OUTPUT_DIR

API_PREFIX = "/api"
NULL_DISPATCH = "null"  # a dispatch parameter whose query value is the input of the same name
TEXT_TYPES = ("string", "id", "uri", "secret", "datetime")


def _load_releases():
    releases = {}
    for path in sorted(glob.glob(os.path.join(OUTPUT_DIR, "*.json"))):
        with open(path) as handle:
            document = json.load(handle)
        releases[document["release"]] = document
    return releases


RELEASES = _load_releases()
# Headers that carry an operation's input in some release; sent to an operation that does not declare
# them, they are a misfit (ordinary transport headers are not).
API_HEADERS = frozenset(name.lower() for document in RELEASES.values()
                        for operation in document["operations"].values() for name in operation["header_parameters"])


def optional(rendered):
    return rendered.startswith("optional<")


def _inner(rendered):
    return rendered[rendered.index("<") + 1:-1]


class Misfit(Exception):
    pass


class Release:
    """One release's metadata, and the checks of a request against one of its operations."""

    def __init__(self, document):
        self.name = document["release"]
        self.operations = document["operations"]
        self.types = document["types"]

    def misfits(self, operation_name, method, path, query, headers, body):
        operation = self.operations.get(operation_name)
        if operation is None:
            return ["the release has no operation %s" % operation_name]
        found = []
        sent = set()
        if method != operation["http_method"]:
            found.append("method %s, not %s" % (method, operation["http_method"]))
        template = API_PREFIX + operation["url_template"].split("?", 1)[0]
        if not re.fullmatch(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)), path):
            found.append("path %s does not fit %s" % (path, template))
        sent.update(operation["path_variables"])  # in a path that fits; in one that does not, that is the misfit
        query_inputs = {name: field for field, name in operation["query_parameters"].items()}
        for name, value in operation["dispatch_parameters"].items():
            if value == NULL_DISPATCH:
                query_inputs[name] = name
            elif query.get(name) != value:
                found.append("query %s=%s is missing" % (name, value))
        for name in query:
            if name in query_inputs:
                sent.add(query_inputs[name])
            elif name not in operation["dispatch_parameters"]:
                found.append("query parameter %s is not one of its inputs" % name)
        declared_headers = {name.lower(): field for name, field in operation["header_parameters"].items()}
        for name in headers:
            if name.lower() in declared_headers:
                sent.add(declared_headers[name.lower()])
            elif name.lower() in API_HEADERS:
                found.append("header %s is not one of its inputs" % name)
        found.extend(self._body_misfits(operation, body, sent))
        for field, rendered in operation["input"].items():
            if field not in sent and not optional(rendered):
                found.append("required input %s is not sent" % field)
        return found

    def _body_misfits(self, operation, body, sent):
        body_parameter = operation["request_body_parameter"]
        if body_parameter is not None:
            if body is None:
                return []
            sent.add(body_parameter)
            return self.value_misfits(body, operation["input"][body_parameter], body_parameter)
        fields = {field: rendered for field, rendered in operation["input"].items() if field not in sent}
        if body is None:
            return []
        if not isinstance(body, dict):
            return ["the body is not an object of its inputs %s" % ", ".join(sorted(fields))]
        found = []
        for field, value in body.items():
            if field in fields:
                sent.add(field)
                found.extend(self.value_misfits(value, fields[field], field))
            else:
                found.append("body field %s is not one of its inputs" % field)
        return found

    def value_misfits(self, value, rendered, where):
        """How ``value`` does not fit the rendered type ``rendered``, at ``where``."""
        if optional(rendered):
            return [] if value is None else self.value_misfits(value, _inner(rendered), where)
        if value is None:
            return ["%s is required" % where]
        if rendered.startswith(("list<", "set<")):
            if not isinstance(value, list):
                return ["%s is not a list" % where]
            return [misfit for index, element in enumerate(value)
                    for misfit in self.value_misfits(element, _inner(rendered), "%s/%d" % (where, index))]
        expected = {"integer": int, "double": (int, float), "boolean": bool}.get(rendered)
        if rendered in TEXT_TYPES:
            expected = str
        if expected is not None:
            fits = isinstance(value, expected) and (rendered == "boolean" or not isinstance(value, bool))
            return [] if fits else ["%s is not of type %s" % (where, rendered)]
        definition = self.types.get(rendered)
        if definition is None:  # opaque here (vapi.std's LocalizableMessage, maps, dynamic structures)
            return []
        if "enum" in definition:
            known = value in definition["enum"]
            return [] if known else ["%s: %r is not a value of %s" % (where, value, rendered.rsplit("_client.", 1)[-1])]
        if not isinstance(value, dict):
            return ["%s is not an object" % where]
        found = []
        for field, field_value in value.items():
            if field not in definition["struct"]:
                found.append("%s/%s is not a field of %s" % (where, field, rendered.rsplit("_client.", 1)[-1]))
            else:
                found.extend(self.value_misfits(field_value, definition["struct"][field], "%s/%s" % (where, field)))
        for field, field_type in definition["struct"].items():
            if field not in value and not optional(field_type):
                found.append("%s/%s is required" % (where, field))
        return found


class WireCheck:
    """Every release's metadata; ``misfits`` lists, for each release a request does not fit, why."""

    def __init__(self, releases=None):
        releases = releases or RELEASES
        self.releases = [Release(releases[name]) for name in sorted(releases)]
        if not self.releases:
            raise RuntimeError("no bindings metadata in %s" % OUTPUT_DIR)

    def misfits(self, operation_name, method, path, query, headers, body):
        return ["%s %s: %s" % (release.name, operation_name, misfit) for release in self.releases
                for misfit in release.misfits(operation_name, method, path, query, headers, body)]
