"""Credential providers with a real ``LogClient`` against the emulator (signatures checked)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from aliyun.log import LogClient
from aliyun.log._transport import HttpRequest, HttpResponse, Transport
from aliyun.log._transport.http import Urllib3Transport
from aliyun.log.credentials import (
    Credentials,
    EnvironmentCredentialsProvider,
    RefreshingCredentialsProvider,
    StaticCredentialsProvider,
)
from aliyun.log.emulator import EmulatorServer
from aliyun.log.logexception import AuthError

PROJECT = "credentials-tests"


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as srv:
        srv.client(in_process=True).create_project(PROJECT, "credential providers")
        yield srv


class Clock:
    now = 2_000_000_000.0

    def __call__(self) -> float:
        return self.now


def test_static_provider(server: EmulatorServer) -> None:
    provider = StaticCredentialsProvider(server.access_key_id, server.access_key_secret)
    client = LogClient(server.endpoint, credentials_provider=provider)
    assert client.get_project(PROJECT).get_projectname() == PROJECT


def test_environment_provider(server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", server.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", server.access_key_secret)
    client = LogClient(server.endpoint, credentials_provider=EnvironmentCredentialsProvider())
    assert client.get_project(PROJECT).get_projectname() == PROJECT


def test_refreshing_provider_renews_before_expiry(server: EmulatorServer) -> None:
    clock = Clock()
    answers = iter(
        [
            Credentials(server.access_key_id, "stale-secret", "tok-1", expiration=clock.now + 1000),
            Credentials(server.access_key_id, server.access_key_secret, "tok-2", expiration=clock.now + 5000),
        ]
    )
    provider = RefreshingCredentialsProvider(lambda: next(answers), refresh_before=300, clock=clock)
    client = LogClient(server.endpoint, credentials_provider=provider)
    with pytest.raises(AuthError):
        client.get_project(PROJECT)  # the first credentials are wrong and not yet due
    clock.now += 800  # now within 300 s of their expiry: the next call renews first
    assert client.get_project(PROJECT).get_projectname() == PROJECT
    assert provider.fetch_count == 2


class ExpiredTokenTransport:
    """Answers ``SecurityTokenExpired`` to any request signed with the token ``expired``."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.rejected = 0

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        if request.headers.get("x-acs-security-token") == "expired":
            self.rejected += 1
            body = json.dumps({"errorCode": "SecurityTokenExpired", "errorMessage": "token expired"}).encode()
            return HttpResponse(401, {"x-log-requestid": "r"}, body)
        return self.inner.send(request, timeout)

    def close(self) -> None:
        self.inner.close()


def test_refreshing_provider_renews_once_more_on_security_token_expired(server: EmulatorServer) -> None:
    tokens = iter(["expired", "fresh"])
    provider = RefreshingCredentialsProvider(
        lambda: (server.access_key_id, server.access_key_secret, next(tokens), 4_000_000_000.0)
    )
    transport = ExpiredTokenTransport(Urllib3Transport())
    client = LogClient(server.endpoint, credentials_provider=provider, transport=transport)
    client.set_credentials_auto_refresher(provider.as_refresher())
    assert client.get_project(PROJECT).get_projectname() == PROJECT
    assert transport.rejected == 1 and provider.fetch_count == 2
    assert client.get_project(PROJECT).get_projectname() == PROJECT
    assert provider.fetch_count == 2


def test_refreshing_provider_alone_renews_on_expiry_and_stays_in_charge(server: EmulatorServer) -> None:
    """No ``set_credentials_auto_refresher`` needed: the provider's own ``refresh`` is used, and
    the client goes on asking the provider (which keeps renewing ahead of expiry) afterwards."""
    tokens = iter(["expired", "fresh", "later"])
    provider = RefreshingCredentialsProvider(
        lambda: (server.access_key_id, server.access_key_secret, next(tokens), 4_000_000_000.0)
    )
    transport = ExpiredTokenTransport(Urllib3Transport())
    client = LogClient(server.endpoint, credentials_provider=provider, transport=transport)
    assert client.get_project(PROJECT).get_projectname() == PROJECT
    assert transport.rejected == 1 and provider.fetch_count == 2
    provider.refresh()  # as a renewal ahead of expiry would
    assert client.get_project(PROJECT).get_projectname() == PROJECT
    assert provider.get_credentials().get_security_token() == "later"
