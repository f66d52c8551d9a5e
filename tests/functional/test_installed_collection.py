"""The built collection, installed into an empty collections path, is what users get."""

import json
import subprocess
import tarfile

import pytest

import dev


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the tarball from this checkout and install it into an empty collections path."""
    work = tmp_path_factory.mktemp("installed")
    env = dev.ansible_env()
    env.pop("ANSIBLE_COLLECTIONS_PATH")
    subprocess.run([str(dev.venv_bin("ansible-galaxy")), "collection", "build", str(dev.ROOT),
                    "--output-path", str(work)], check=True, capture_output=True, env=env)
    tarball = next(work.glob("vsphere-content-*.tar.gz"))
    collections = work / "collections"
    subprocess.run([str(dev.venv_bin("ansible-galaxy")), "collection", "install", str(tarball),
                    "-p", str(collections)], check=True, capture_output=True, env=env)
    env["ANSIBLE_COLLECTIONS_PATH"] = str(collections)
    return tarball, collections, env


def test_tarball_leaves_development_files_out(installed):
    tarball, _collections, _env = installed
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert "plugins/modules/content_library_update_session.py" in names
    assert "meta/runtime.yml" in names and "LICENSE" in names
    assert not [n for n in names if n.startswith((".venv", ".ci", "tests", ".git"))]
    assert not [n for n in names if "__pycache__" in n]


def test_ansible_doc_renders_from_the_installed_copy(installed):
    _tarball, collections, env = installed
    process = subprocess.run(
        [str(dev.venv_bin("ansible-doc")), "--json", "vsphere.content.content_library_update_session"],
        capture_output=True, text=True, env=env, check=True,
    )
    doc = json.loads(process.stdout)["vsphere.content.content_library_update_session"]["doc"]
    assert str(collections) in doc["filename"]
    assert {"hostname", "username", "password", "validate_certs", "update_session_id", "warning_behavior"} <= set(doc["options"])
    assert doc["attributes"]["check_mode"]["support"] == "full"
    assert doc["short_description"].startswith("Manage a Content Library update session")
    text = subprocess.run(
        [str(dev.venv_bin("ansible-doc")), "vsphere.content.content_library_update_session"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout
    text = " ".join(text.split())
    assert "the transaction vCenter opens when content is uploaded to a library item." in text
    assert "VMWARE_HOST" in text
