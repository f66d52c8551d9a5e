# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The official vSphere Automation API descriptions, as request and response validators."""

import json
import os

import jsonschema

SPEC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "specs")
API_VERSIONS = ("8.0.2", "7.0.3")
# Operations a version's document lacks only by a generation artefact, described by another version's
# document instead: 7.0.3's GET (list) and POST (create) of /api/content/library/item share one path key,
# and the POST was lost (see specs/README.md).
BORROWED_OPERATIONS = {"7.0.3": [("content", "/api/content/library/item", "post", "8.0.2")]}


def _load(name, version):
    with open(os.path.join(SPEC_DIR, "%s-%s.json" % (name, version))) as handle:
        return json.load(handle)


class ApiSpec:
    """Looks up and validates the bodies of one API version's operations (Swagger 2.0).

    ``newer_values`` ({definition name: [values]}) adds values to enumerations, as a later release's
    description would: the simulator then plays that release, and its answers may carry them.
    """

    def __init__(self, version="8.0.2", newer_values=None):
        if version not in API_VERSIONS:
            raise ValueError("unknown API version %r; known: %s" % (version, ", ".join(API_VERSIONS)))
        self.version = version
        self.paths = {}
        self.definitions = {}
        for name in ("session", "content"):
            document = _load(name, version)
            self.paths.update(document["paths"])
            self.definitions.update(document["definitions"])
        for name, path, method, lender in BORROWED_OPERATIONS.get(version, ()):
            # Its bodies are still validated against this version's definitions.
            self.paths.setdefault(path, {})[method] = _load(name, lender)["paths"][path][method]
        for name, values in (newer_values or {}).items():
            definition = self.definitions.get(name)
            if definition is None or "enum" not in definition:
                raise ValueError("%s is not an enumeration of the %s description" % (name, version))
            definition["enum"] = definition["enum"] + [value for value in values if value not in definition["enum"]]
        self._validators = {}

    def operation(self, path, method):
        return self.paths[path][method.lower()]

    def request_schema(self, path, method):
        for parameter in self.operation(path, method).get("parameters", []):
            if parameter.get("in") == "body":
                return parameter["schema"], bool(parameter.get("required"))
        return None, False

    def response_schema(self, path, method, status):
        """``(declared, schema)``; 401 is implied on every authenticated operation."""
        responses = self.operation(path, method)["responses"]
        if str(status) in responses:
            return True, responses[str(status)].get("schema")
        if status == 401:
            return True, {"$ref": "#/definitions/VapiStdErrorsUnauthenticated"}
        return False, None

    def errors(self, schema, instance):
        """Every way ``instance`` violates ``schema``, as readable strings."""
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            root = dict(schema)
            root["definitions"] = self.definitions
            validator = jsonschema.Draft4Validator(root, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
            self._validators[key] = validator
        return [
            "%s: %s" % ("/".join(str(p) for p in error.absolute_path) or "<body>", error.message)
            for error in validator.iter_errors(instance)
        ]
