# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Extract the REST metadata of VMware's generated bindings (PyPI vmware-vcenter) into committed JSON files.

    cd tests && python -m vcenter_simulator.extract_bindings          # (re)write specs/bindings/*.json
    cd tests && python -m vcenter_simulator.extract_bindings --check  # fail if they differ from the wheels

For each release in RELEASES it downloads the wheel from PyPI (``pip download --no-deps``) and reads the
generated stubs as source text with ``ast``, so no release's runtime is imported or installed. For every
operation of INTERFACES it writes what the bindings put on the wire: HTTP method, URL template, dispatch
(``?action=``), path, query and header parameters, the request-body parameter, and the input and output
types; and every struct and enum those types reach, with its fields or values. ``wire.py`` checks each
request the simulator receives against these files.
"""

import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "vmware-vcenter"
RELEASES = ("8.0.3.0", "9.0.0.0", "9.1.1.0")
OUTPUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "specs", "bindings")
# The generated modules, and the interfaces of theirs that the collection calls or will call.
MODULES = {
    "com/vmware/cis_client.py": ("com.vmware.cis.session",),
    "com/vmware/content_client.py": ("com.vmware.content.library",),
    "com/vmware/content/library_client.py": ("com.vmware.content.library.item",),
    "com/vmware/content/library/item_client.py": (
        "com.vmware.content.library.item.update_session", "com.vmware.content.library.item.file",
        "com.vmware.content.library.item.download_session"),
    "com/vmware/content/library/item/updatesession_client.py": ("com.vmware.content.library.item.updatesession.file",),
    "com/vmware/content/library/item/downloadsession_client.py": (
        "com.vmware.content.library.item.downloadsession.file",),
}
SCALARS = {
    "StringType": "string", "IdType": "id", "IntegerType": "integer", "BooleanType": "boolean",
    "DoubleType": "double", "DateTimeType": "datetime", "URIType": "uri", "SecretType": "secret",
    "BlobType": "blob", "VoidType": "void", "OpaqueType": "opaque", "DynamicStructType": "dynamic",
}
CONTAINERS = {"OptionalType": "optional", "ListType": "list", "SetType": "set", "MapType": "map"}


def dotted(node):
    """``A.B.C`` of a Name/Attribute chain, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return base and base + "." + node.attr
    return None


def literal_dict(node):
    """A dict display of string constants; ``QueryRestMetadata({styles}, **{names})`` gives its names."""
    if node is None:
        return {}
    if isinstance(node, ast.Call) and dotted(node.func) == "QueryRestMetadata":
        merged = {}
        for keyword in node.keywords:
            merged.update(literal_dict(keyword.value))
        return merged
    return {ast.literal_eval(key): ast.literal_eval(value) for key, value in zip(node.keys, node.values)}


class Module:
    """One generated ``*_client.py``: its structs and enums, and the operations of its stubs."""

    def __init__(self, path, source):
        self.name = path[:-3].replace("/", ".")
        self.tree = ast.parse(source)
        self.types = {}
        self.operations = {}
        self._collect_types(self.tree.body, ())
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef) and node.name.startswith("_") and node.name.endswith("Stub"):
                self._collect_stub(node)

    def type_name(self, reference):
        """``type.ReferenceType(module, 'Name')`` as ``module.Name`` (``__name__`` is this module)."""
        module, name = reference.args
        module = self.name if isinstance(module, ast.Name) and module.id == "__name__" else module.value
        return "%s.%s" % (module, name.value)

    def render(self, node):
        """A type expression as a short string: ``optional<list<com.vmware...File.Info>>``."""
        kind = dotted(node.func).rsplit(".", 1)[-1]
        if kind in SCALARS:
            return SCALARS[kind]
        if kind in CONTAINERS:
            return "%s<%s>" % (CONTAINERS[kind], ",".join(self.render(arg) for arg in node.args))
        if kind == "ReferenceType":
            return self.type_name(node)
        raise ValueError("%s: unknown type expression %s" % (self.name, ast.unparse(node)))

    def fields(self, struct_call):
        return {ast.literal_eval(key): self.render(value)
                for key, value in zip(struct_call.args[1].keys, struct_call.args[1].values)}

    def _collect_types(self, body, classes):
        for node in body:
            if isinstance(node, ast.ClassDef):
                self._collect_types(node.body, classes + (node.name,))
                continue
            call = node.value if isinstance(node, ast.Expr) else None
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                continue
            target = ".".join(classes + (dotted(call.func.value),))
            qualified = "%s.%s" % (self.name, target)
            if call.func.attr == "_set_values":
                self.types[qualified] = {"enum": sorted(ast.literal_eval(key) for key in call.args[0].keys)}
            elif call.func.attr == "_set_binding_type" and dotted(call.args[0].func) == "type.StructType":
                self.types[qualified] = {"struct": self.fields(call.args[0])}

    def _collect_stub(self, stub):
        init = next(node for node in stub.body if isinstance(node, ast.FunctionDef) and node.name == "__init__")
        assigned = {}
        for node in init.body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                assigned[node.targets[0].id] = node.value
        interface = next(keyword.value.value for node in ast.walk(init) if isinstance(node, ast.Call)
                         and dotted(node.func) == "ApiInterfaceStub.__init__" for keyword in node.keywords
                         if keyword.arg == "iface_name")
        for key, value in zip(assigned["operations"].keys, assigned["operations"].values):
            name = key.value
            spec = dict(zip((k.value for k in value.keys), value.values))
            metadata = {keyword.arg: keyword.value for keyword in assigned[assigned["rest_metadata"].values[
                [k.value for k in assigned["rest_metadata"].keys].index(name)].id].keywords}
            self.operations["%s.%s" % (interface, name)] = {
                "http_method": metadata["http_method"].value,
                "url_template": metadata["url_template"].value if "url_template" in metadata else "",
                "path_variables": literal_dict(metadata.get("path_variables")),
                "query_parameters": literal_dict(metadata.get("query_parameters")),
                "dispatch_parameters": literal_dict(metadata.get("dispatch_parameters")),
                "header_parameters": literal_dict(metadata.get("header_parameters")),
                "dispatch_header_parameters": literal_dict(metadata.get("dispatch_header_parameters")),
                "request_body_parameter": (metadata["request_body_parameter"].value
                                           if "request_body_parameter" in metadata else None),
                "input": self.fields(assigned[spec["input_type"].id]),
                "output": self.render(spec["output_type"]),
            }


def references(rendered):
    """The struct and enum names a rendered type mentions."""
    for part in rendered.replace("<", ",").replace(">", ",").split(","):
        if "." in part:
            yield part


def metadata_of(wheel):
    """The metadata of one wheel: the operations of INTERFACES and the types they reach."""
    operations, types = {}, {}
    with zipfile.ZipFile(wheel) as archive:
        for path, interfaces in MODULES.items():
            module = Module(path, archive.read(path).decode("utf-8"))
            types.update(module.types)
            operations.update({name: operation for name, operation in module.operations.items()
                               if name.rsplit(".", 1)[0] in interfaces})
    return {"operations": operations, "types": dict(sorted(reached_types(types, operations.values()).items()))}


def reached_types(types, operations):
    """The structs and enums of ``types`` that the operations' inputs and outputs reach, directly or through
    struct fields; a name outside ``types`` (vapi.std's LocalizableMessage) is opaque and left out."""
    reached, pending = {}, [ref for operation in operations
                            for rendered in list(operation["input"].values()) + [operation["output"]]
                            for ref in references(rendered)]
    while pending:
        name = pending.pop()
        if name in reached or name not in types:
            continue
        reached[name] = types[name]
        pending.extend(ref for rendered in types[name].get("struct", {}).values() for ref in references(rendered))
    return reached


def download(release, directory):
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "--dest", directory, "%s==%s" % (PACKAGE, release)], check=True)
    (wheel,) = [os.path.join(directory, name) for name in os.listdir(directory) if release in name]
    return wheel


def document(release, wheel):
    with open(wheel, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    return dict({"package": PACKAGE, "release": release, "wheel": os.path.basename(wheel), "wheel_sha256": digest},
                **metadata_of(wheel))


def output_path(release):
    return os.path.join(OUTPUT_DIR, "%s-%s.json" % (PACKAGE, release))


def render_document(release, wheel):
    return json.dumps(document(release, wheel), indent=1, sort_keys=True) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    with tempfile.TemporaryDirectory(prefix="vmware-vcenter-wheels-") as workdir:
        for release in RELEASES:
            text = render_document(release, download(release, os.path.join(workdir, release)))
            path = output_path(release)
            current = open(path).read() if os.path.exists(path) else None
            if args.check:
                if current != text:
                    stale.append(os.path.relpath(path))
            elif current != text:
                os.makedirs(OUTPUT_DIR, exist_ok=True)
                with open(path, "w") as handle:
                    handle.write(text)
                print("wrote %s" % os.path.relpath(path))
    if stale:
        print("not what the wheels say (run python -m vcenter_simulator.extract_bindings in tests/): %s"
              % ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
