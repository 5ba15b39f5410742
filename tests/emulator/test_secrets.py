"""Secrets stay out of what the emulator prints and answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from _wire import call, running_cli

from aliyun.log import LogClient, LogException
from aliyun.log._transport.wsgi import WsgiTransport
from aliyun.log.emulator import EmulatorServer


def banner_of(*args: str) -> str:
    with running_cli(*args) as banner:
        return banner


def test_banner_shows_the_emulator_s_own_secret() -> None:
    text = banner_of()
    assert "access key secret: emulator-access-key-secret" in text
    assert "access key id:     emulator-access-key-id" in text


def test_banner_hides_a_secret_the_user_gave() -> None:
    text = banner_of("--access-key-id", "my-id", "--access-key-secret", "s3cr3t-given-by-me")
    assert "s3cr3t-given-by-me" not in text
    assert "access key id:     my-id" in text
    assert "access key secret: (the one you gave, not shown)" in text


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, listen=False) as emulator:
        yield emulator


def test_signature_mismatch_does_not_echo_the_signature_v1(server: EmulatorServer) -> None:
    sent: dict[str, str] = {}
    answer = call(server.app, "GET", "/", host="127.0.0.1", secret="a-wrong-secret", after_signing=sent.update)
    assert (answer.status, answer.error_code()) == (401, "SignatureNotMatch")
    signature = sent["Authorization"].rsplit(":", 1)[-1]
    assert signature.encode() not in answer.body
    assert signature[:10].encode() not in answer.body


class Recording(WsgiTransport):
    """The in-process transport, keeping the headers of the last request."""

    last: dict[str, str] = {}

    def send(self, request: Any, timeout: float) -> Any:
        self.last = dict(request.headers)
        return super().send(request, timeout)


@pytest.mark.parametrize("auth_version", ["v1", "v4"])
def test_signature_mismatch_does_not_echo_the_signature(server: EmulatorServer, auth_version: str) -> None:
    transport = Recording(server.app)
    client = LogClient(
        server.endpoint,
        server.access_key_id,
        "a-wrong-secret",
        auth_version=auth_version,
        region="cn-hangzhou",
        transport=transport,
    )
    with pytest.raises(LogException) as info:
        client.list_project()
    assert info.value.get_error_code() == "SignatureNotMatch"
    authorization = transport.last["Authorization"]
    signature = authorization.rsplit("Signature=", 1)[-1].rsplit(":", 1)[-1]
    assert signature not in info.value.get_error_message()
    assert signature not in json.dumps(info.value.get_resp_body() if hasattr(info.value, "get_resp_body") else "")


def test_v4_scope_of_another_day_is_refused_over_the_wire(server: EmulatorServer) -> None:
    import datetime

    from aliyun.log._auth import canonical as c

    now = c.to_utc(None)
    yesterday = (now - datetime.timedelta(days=1)).strftime("%Y%m%d")
    headers = {
        "x-log-apiversion": "0.6.0",
        "x-log-bodyrawsize": "0",
        "x-log-content-sha256": c.EMPTY_SHA256,
        "x-log-date": c.format_v4_date(now),
        "Host": "127.0.0.1",
    }
    scope = c.v4_scope(yesterday, "cn-hangzhou")
    canonical = c.v4_canonical_request("GET", "/", [], headers, c.EMPTY_SHA256)
    signature = c.v4_signature(
        server.access_key_secret, yesterday, "cn-hangzhou", c.v4_string_to_sign(headers["x-log-date"], scope, canonical)
    )
    headers["Authorization"] = c.v4_authorization(server.access_key_id, scope, signature)
    answer = call(server.app, "GET", "/", host="127.0.0.1", headers=headers, sign=False)
    assert (answer.status, answer.error_code()) == (401, "SignatureNotMatch")
    assert signature.encode() not in answer.body
