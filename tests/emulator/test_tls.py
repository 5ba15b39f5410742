"""HTTPS mode: a generated CA, certificate checks on, and the SDK's ``ca_file`` option."""

from __future__ import annotations

import inspect
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest, Urllib3Transport
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.controls.admin_client import AdminClient

pytest.importorskip("cryptography")


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, tls=True, fsync="never") as running:
        yield running


def _roundtrip(client: LogClient, project: str) -> int:
    client.create_project(project, "over https")
    client.create_logstore(project, "ls", shard_count=1)
    item = LogItem()
    item.push_back("k", "v")
    client.put_logs(PutLogsRequest(project, "ls", "", "", [item]))
    cursor = client.get_begin_cursor(project, "ls", 0).get_cursor()
    return client.pull_logs(project, "ls", 0, cursor).get_log_count()


def test_https_with_the_emulator_ca(server: EmulatorServer) -> None:
    assert server.endpoint.startswith("https://") and server.url == server.endpoint
    assert server.ca_file is not None and server.ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert _roundtrip(server.client(), "tls-default") == 1


def test_ca_file_option_of_the_client_and_transports(server: EmulatorServer) -> None:
    assert server.ca_file is not None
    parameter = inspect.signature(LogClient.__init__).parameters["ca_file"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    by_name = LogClient(
        f"https://localhost:{server.port}", server.access_key_id, server.access_key_secret, ca_file=str(server.ca_file)
    )
    assert _roundtrip(by_name, "tls-localhost") == 1  # the certificate names localhost too
    fast = LogClient(
        server.endpoint,
        server.access_key_id,
        server.access_key_secret,
        transport=Urllib3Transport(ca_file=str(server.ca_file)),
    )
    assert _roundtrip(fast, "tls-urllib3") == 1


def test_certificates_are_checked(server: EmulatorServer) -> None:
    untrusting = LogClient(server.endpoint, server.access_key_id, server.access_key_secret)
    untrusting.retry_policy.max_attempts = 1
    with pytest.raises(LogException) as caught:
        untrusting.list_project()
    assert caught.value.get_error_code() == "LogRequestError"
    assert "SSL" in caught.value.get_error_message() or "certificate" in caught.value.get_error_message()


def test_admin_api_and_faults_over_https(server: EmulatorServer) -> None:
    admin = AdminClient(server.endpoint, server.access_key_id, server.access_key_secret, verify=str(server.ca_file))
    client = server.client()
    client.create_project("tls-faults", "drops")
    client.create_logstore("tls-faults", "ls", shard_count=1)
    admin.inject_fault(api="PutLogs", drop="after")
    item = LogItem()
    item.push_back("k", "v")
    with pytest.raises(LogException) as caught:
        client.put_logs(PutLogsRequest("tls-faults", "ls", "", "", [item]))
    assert caught.value.get_error_code() == "LogRequestError"
    assert admin.shards("tls-faults", "ls")[0]["logs"] == 1


def test_key_file_is_private(server: EmulatorServer) -> None:
    assert server.ca_file is not None
    key = Path(server.ca_file).parent / "server-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_certificate_folder_is_removed_on_stop() -> None:
    server = EmulatorServer(port=0, tls=True)
    with server:
        assert server.ca_file is not None and server.ca_file.exists()
    assert not server.ca_file.exists()


def test_missing_cryptography_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)
    with pytest.raises(RuntimeError, match="pip install cryptography"):
        EmulatorServer(port=0, tls=True)


def test_tls_flag_and_banner(server: EmulatorServer) -> None:
    from aliyun.log.emulator.__main__ import banner, parse_args

    assert parse_args(["--tls"]).tls is True
    text = banner(server, secret_given=False)
    assert text.splitlines()[0] == f"SLS emulator listening on https://{server.host}:{server.port}"
    assert f"CA certificate:    {server.ca_file}" in text
