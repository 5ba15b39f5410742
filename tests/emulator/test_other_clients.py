"""Requests as clients other than this SDK send them: the Node SDK and the generated OpenAPI SDKs."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest
from _wire import call, cli_port, running_cli

from aliyun.log.emulator import EmulatorServer


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, listen=False) as emulator:
        yield emulator


def test_create_project_addressed_to_the_service_host(server: EmulatorServer) -> None:
    body = json.dumps({"projectName": "node-made", "description": "from the body"}).encode()
    answer = call(server.app, "POST", "/", host="127.0.0.1", body=body, headers={"Content-Type": "application/json"})
    assert answer.status == 200, answer.body
    got = call(server.app, "GET", "/", host="node-made.127.0.0.1")
    assert json.loads(got.body)["description"] == "from the body"
    again = call(server.app, "POST", "/", host="127.0.0.1", body=body, headers={"Content-Type": "application/json"})
    assert (again.status, again.error_code()) == (400, "ProjectAlreadyExist")


@pytest.mark.parametrize(
    "body",
    [b"{}", b"null", json.dumps({"projectName": 7}).encode(), json.dumps({"projectName": "Bad_Name!"}).encode()],
)
def test_create_project_at_the_service_host_needs_a_valid_name(server: EmulatorServer, body: bytes) -> None:
    answer = call(server.app, "POST", "/", host="127.0.0.1", body=body, headers={"Content-Type": "application/json"})
    assert (answer.status, answer.error_code()) == (400, "ParameterInvalid")


def test_empty_answers_carry_no_content_type(server: EmulatorServer) -> None:
    body = json.dumps({"projectName": "no-ctype", "description": ""}).encode()
    created = call(server.app, "POST", "/", host="127.0.0.1", body=body, headers={"Content-Type": "application/json"})
    assert (created.status, created.body) == (200, b"")
    assert "content-type" not in created.headers
    assert created.headers["content-length"] == "0"
    # Answers with a body keep theirs, errors included.
    got = call(server.app, "GET", "/", host="no-ctype.127.0.0.1")
    assert got.headers["content-type"] == "application/json"
    missing = call(server.app, "GET", "/", host="nowhere.127.0.0.1")
    assert (missing.status, missing.headers["content-type"]) == (404, "application/json")
    deleted = call(server.app, "DELETE", "/", host="no-ctype.127.0.0.1")
    assert (deleted.status, deleted.body) == (200, b"")
    assert "content-type" not in deleted.headers


@pytest.mark.parametrize("method", ["hmac-sha1", "hmac-sha256"])
def test_v1_signature_with_the_method_the_header_names(server: EmulatorServer, method: str) -> None:
    answer = call(
        server.app, "GET", "/", host="127.0.0.1", query=[("offset", "0"), ("size", "10")], signature_method=method
    )
    assert answer.status == 200, answer.body


def test_v1_signature_made_with_another_method_than_declared(server: EmulatorServer) -> None:
    def declare_sha1(headers: dict[str, str]) -> None:
        headers["x-log-signaturemethod"] = "hmac-sha1"  # the signature is HMAC-SHA256

    answer = call(server.app, "GET", "/", host="127.0.0.1", signature_method="hmac-sha256", after_signing=declare_sha1)
    assert (answer.status, answer.error_code()) == (401, "SignatureNotMatch")


def test_unknown_signature_method(server: EmulatorServer) -> None:
    def declare_md5(headers: dict[str, str]) -> None:
        headers["x-log-signaturemethod"] = "hmac-md5"

    answer = call(server.app, "GET", "/", host="127.0.0.1", after_signing=declare_md5)
    assert (answer.status, answer.error_code()) == (401, "Unauthorized")
    assert "hmac-md5" in json.loads(answer.body)["errorMessage"]


def list_projects_as(port: int, host: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/?offset=0&size=10", headers={"Host": host})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_cli_server_name_is_the_service_host() -> None:
    # Without --server-name, a three-label host reads as <project>.<rest>: "sls" would be a project.
    with running_cli("--no-check-signature") as banner:
        status, _ = list_projects_as(cli_port(banner), "sls.example.com")
        assert status == 404
    with running_cli("--no-check-signature", "--server-name", "sls.example.com") as banner:
        status, body = list_projects_as(cli_port(banner), "sls.example.com")
        assert (status, json.loads(body)["count"]) == (200, 0)
