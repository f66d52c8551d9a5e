# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Driving the simulator through VMware's own generated bindings (PyPI vmware-vcenter): the client, its fixes and
fixtures, shared by the test_sdk_*.py files, which together check that the simulator speaks vCenter's wire format.

Every operation the simulator serves (cis Session; Library find; Item find, get, create and delete;
UpdateSession; an update session's File API; the library item's File list and get; DownloadSession and a
download session's File API) is driven through the bindings' REST mode in the "/api" (Swagger REST)
format: each call succeeds, or raises the standard error the spec names. Nobody here wrote that client, so it is
an independent check of both directions: the simulator validates what the bindings send against the spec, and
the bindings' converters parse what the simulator answers into their typed structures.

Two things about the bindings (vmware-vapi-runtime 9.1) shape this file:

- The generated stubs are built for the older "/rest" format (``is_vapi_rest=True``: bodies wrapped in
  ``{"value": ...}``). The runtime's Swagger REST mode is chosen per stub (``_is_vapi_rest``,
  ``_rest_converter_mode``) and per REST provider (``set_rest_format``); ``swagger_rest`` switches all three,
  and must run after each stub is built, because building one sets the shared provider back.
- In that mode the runtime does not pick the exception class from the error's ``error_type``: it takes the first
  entry of the operation's throws clause ("TODO Add discriminator matching criteria"), so ``UpdateSession.delete``
  of an ACTIVE session raises ``NotFound`` carrying ``error_type=NOT_ALLOWED_IN_CURRENT_STATE``. The error the SDK
  maps is therefore resolved here from ``error_type`` with the bindings' own resolver (the JSON-RPC path's
  mapping), and the HTTP status is checked too.

- Its REST serializer has two wire bugs, which ``mend_runtime`` mends for every test here, so that the
  tests measure the bindings' metadata, not the runtime:
  * it reads ``header_parameters`` as {field: header} where the bindings write {header: field}, so a create's
    ``client_token`` goes neither into the ``Client-Token`` header nor anywhere else;
  * a ``'null'`` dispatch parameter (item ``File.get``'s ``?name``, a download session ``File.get``'s
    ``?file_name``) is sent as a JSON body on the GET instead of as the query parameter the API reference
    documents.

The simulator takes the client token only from the ``Client-Token`` header, as the 8.0.3 and later bindings
send it (docs/wire-format.md), and every request is also checked against their metadata (``wire.py``).
The transfers themselves are not in the bindings: the tests PUT to ``upload_endpoint.uri`` and GET
``download_endpoint.uri`` with requests.
"""


import contextlib
import hashlib
from urllib.parse import quote

import pytest
import requests
from com.vmware import content_client
from com.vmware.cis_client import Session
from com.vmware.content import library_client
from com.vmware.content.library import item_client
from com.vmware.content.library.item import downloadsession_client
from com.vmware.content.library.item.updatesession_client import File
from com.vmware.content.library.item_client import TransferStatus, UpdateSessionModel
from com.vmware.vapi.std import errors_client
from vmware.vapi.bindings.converter import RestConverter
from vmware.vapi.lib.connect import get_requests_connector
from vmware.vapi.lib.rest import OperationRestMetadata
from vmware.vapi.provider.filter import ApiProviderFilter
from vmware.vapi.security.user_password import create_user_password_security_context
from vmware.vapi.stdlib.client.factories import StubConfigurationFactory

from helpers import PASSWORD, USERNAME


STD_ERRORS = "com.vmware.vapi.std.errors."
ChecksumInfo = item_client.File.ChecksumInfo
ChecksumAlgorithm = item_client.File.ChecksumAlgorithm
ItemModel = library_client.ItemModel
PrepareStatus = downloadsession_client.File.PrepareStatus
EndpointType = downloadsession_client.File.EndpointType
LibraryModel = content_client.LibraryModel


NULL_DISPATCH = "null"  # a dispatch parameter whose query value is the input of the same name


def mend_runtime(monkeypatch):
    """Mend vmware-vapi-runtime 9.1's two REST serializer bugs (see the module docstring) for one test."""
    original_url_path = OperationRestMetadata.get_url_path
    original_query_fields = OperationRestMetadata.get_query_parameter_field_names

    def header_field_names(self):
        # The serializer asks {field: header}; the bindings give {header: field}.
        return {field: header for header, field in self._header_parameters.items()}  # pylint: disable=protected-access

    def null_dispatch(self):
        return [name for name, value in self._dispatch_parameters.items()  # pylint: disable=protected-access
                if value == NULL_DISPATCH]

    def query_field_names(self):
        # So the serializer hands a 'null' dispatch input to get_url_path instead of putting it in the body.
        return original_query_fields(self) + null_dispatch(self)

    def url_path(self, path_fields, query_fields):
        dispatched = {name: query_fields.pop(name) for name in null_dispatch(self) if name in query_fields}
        url = original_url_path(self, path_fields, query_fields)
        base, query = (url.split("?", 1) + [""])[:2]
        # 9.x templates carry the bare name ("/file?name"), which the value replaces.
        pairs = [pair for pair in query.split("&") if pair and pair not in dispatched]
        pairs += ["%s=%s" % (name, quote(value, safe="")) for name, value in dispatched.items()]
        return base + ("?" + "&".join(pairs) if pairs else "")

    monkeypatch.setattr(OperationRestMetadata, "get_header_field_names", header_field_names)
    monkeypatch.setattr(OperationRestMetadata, "get_query_parameter_field_names", query_field_names)
    monkeypatch.setattr(OperationRestMetadata, "get_url_path", url_path)


def swagger_rest(service):
    """Switch a generated service (a VapiInterface) to the "/api" Swagger REST format."""
    stub = service._api_interface  # pylint: disable=protected-access
    stub._is_vapi_rest = False  # pylint: disable=protected-access
    stub._rest_converter_mode = RestConverter.SWAGGER_REST  # pylint: disable=protected-access
    provider = stub._api_provider  # pylint: disable=protected-access
    while isinstance(provider, ApiProviderFilter):
        provider = provider.get_api_provider()
    provider.set_rest_format(False)
    return service


class Sdk:
    """The bindings against one simulator: a requests session, a REST connector on <url>/api, and services."""

    def __init__(self, simulator):
        self.simulator = simulator
        self.http = requests.Session()
        self.http.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment replaces verify
        self.http.verify = simulator.ca_file
        self.connector = get_requests_connector(session=self.http, msg_protocol="rest", url=simulator.url + "/api")
        self.config = StubConfigurationFactory.new_std_configuration(self.connector)

    def service(self, service_class):
        return swagger_rest(service_class(self.config))

    def login(self, username=USERNAME, password=PASSWORD):
        """Session.create with basic credentials; later calls carry the token as vmware-api-session-id.

        The bindings' session security context only serves JSON-RPC, so the header goes on the requests session.
        """
        self.connector.set_security_context(create_user_password_security_context(username, password))
        try:
            token = self.service(Session).create()
        finally:
            self.connector.set_security_context(None)
        self.http.headers["vmware-api-session-id"] = token
        return token

    def mapped(self, error):
        """The standard error class the bindings map the error's ``error_type`` to (their own resolver)."""
        return self.config.resolver.resolve(STD_ERRORS + str(error.error_type).lower()).binding_class


@contextlib.contextmanager
def raises(sdk, expected, status):
    """The call raises a standard error that the bindings map to ``expected``, answered with ``status``."""
    with pytest.raises(errors_client.Error) as caught:
        yield caught
    error = caught.value
    assert sdk.mapped(error) is expected, "error_type %s, raised as %s" % (error.error_type, type(error).__name__)
    assert error.get_status_code() == status
    assert error.messages and error.messages[0].default_message


def new_session(sdk, sessions, **item):
    item_id = sdk.simulator.state.add_library_item(**item)
    return item_id, sessions.create(UpdateSessionModel(library_item_id=item_id))


def push(sdk, files, session_id, path, algorithm=ChecksumAlgorithm.SHA256):
    """File.add with PUSH, size and checksum, then the PUT a client sends to the upload endpoint."""
    data = path.read_bytes()
    info = files.add(session_id, File.AddSpec(
        name=path.name, source_type=File.SourceType.PUSH, size=len(data),
        checksum_info=ChecksumInfo(algorithm=algorithm, checksum=hashlib.new(str(algorithm).lower(), data).hexdigest())))
    assert info.status == TransferStatus.WAITING_FOR_TRANSFER and info.bytes_transferred == 0
    response = requests.put(info.upload_endpoint.uri, data=data, verify=sdk.simulator.ca_file, timeout=30)
    assert response.status_code == 200, response.text
    return info
