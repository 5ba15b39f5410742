"""``aliyun.log.credentials``: official names, the environment provider, the refreshing STS provider."""

from __future__ import annotations

import threading

import pytest

from aliyun.log import LogException
from aliyun.log.credentials import (
    Credentials,
    CredentialsProvider,
    EnvironmentCredentialsProvider,
    RefreshingCredentialsProvider,
    StaticCredentialsProvider,
)

SECRET = "s3cr3t-value-never-shown"
TOKEN = "t0ken-value-never-shown"


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_credentials_getters_and_attributes() -> None:
    creds = Credentials("id", SECRET, TOKEN)
    assert (creds.get_access_key_id(), creds.get_access_key_secret(), creds.get_security_token()) == (
        "id",
        SECRET,
        TOKEN,
    )
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == ("id", SECRET, TOKEN)
    assert Credentials("id", SECRET).get_security_token() is None


def test_no_secret_or_token_in_reprs() -> None:
    for text in (
        repr(Credentials("id", SECRET, TOKEN)),
        repr(StaticCredentialsProvider("id", SECRET, TOKEN)),
        str(Credentials("id", SECRET, TOKEN)),
    ):
        assert SECRET not in text and TOKEN not in text
        assert "id" in text


def test_static_provider_positional_and_defaults() -> None:
    provider = StaticCredentialsProvider("id", SECRET, TOKEN)
    assert provider.get_credentials() is provider.credentials
    assert provider.get_credentials().get_security_token() == TOKEN
    empty = StaticCredentialsProvider()
    assert empty.get_credentials().get_access_key_id() == ""


def test_base_provider_is_subclassable() -> None:
    class Mine(CredentialsProvider):
        def get_credentials(self) -> Credentials:
            return Credentials("mine", SECRET)

    assert CredentialsProvider().get_credentials() is None
    creds = Mine().get_credentials()
    assert creds is not None and creds.get_access_key_id() == "mine"


def test_environment_provider_reads_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    monkeypatch.delenv("ALIBABA_CLOUD_SECURITY_TOKEN", raising=False)
    provider = EnvironmentCredentialsProvider()
    first = provider.get_credentials()
    assert (first.get_access_key_id(), first.get_security_token()) == ("env-id", None)
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "rotated-id")
    second = provider.get_credentials()
    assert (second.get_access_key_id(), second.get_security_token()) == ("rotated-id", TOKEN)


def test_environment_provider_missing_secret_names_the_variable_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", raising=False)
    with pytest.raises(LogException) as caught:
        EnvironmentCredentialsProvider().get_credentials()
    assert caught.value.get_error_code() == "InvalidCredentials"
    assert "ALIBABA_CLOUD_ACCESS_KEY_SECRET" in str(caught.value)


def test_refreshing_provider_fetches_once_until_due() -> None:
    clock = Clock()
    calls: list[int] = []

    def fetch() -> Credentials:
        calls.append(1)
        return Credentials(f"id-{len(calls)}", SECRET, TOKEN, expiration=clock.now + 3600)

    provider = RefreshingCredentialsProvider(fetch, refresh_before=300, clock=clock)
    assert provider.get_credentials().get_access_key_id() == "id-1"
    clock.now += 3600 - 301  # still outside the renewal margin
    assert provider.get_credentials().get_access_key_id() == "id-1"
    clock.now += 2  # inside it: renewed before expiry
    assert provider.get_credentials().get_access_key_id() == "id-2"
    assert provider.fetch_count == 2


def test_refreshing_provider_accepts_tuples() -> None:
    clock = Clock()
    provider = RefreshingCredentialsProvider(lambda: ("tid", SECRET, TOKEN, clock.now + 10), clock=clock)
    creds = provider.get_credentials()
    assert (creds.get_access_key_id(), creds.get_security_token(), creds.expiration) == ("tid", TOKEN, clock.now + 10)


def test_refreshing_provider_keeps_valid_credentials_when_renewal_fails() -> None:
    clock = Clock()
    answers: list[object] = [Credentials("id-1", SECRET, TOKEN, expiration=clock.now + 1000)]

    def fetch() -> Credentials:
        answer = answers.pop(0) if answers else RuntimeError("sts unreachable")
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, Credentials)
        return answer

    provider = RefreshingCredentialsProvider(fetch, refresh_before=300, clock=clock)
    provider.get_credentials()
    clock.now += 800  # due, not expired: the old ones are still served
    assert provider.get_credentials().get_access_key_id() == "id-1"
    clock.now += 300  # expired: the failure surfaces
    with pytest.raises(RuntimeError):
        provider.get_credentials()


def test_refreshing_provider_rejects_answers_without_keys() -> None:
    provider = RefreshingCredentialsProvider(lambda: ("", SECRET, None, None))
    with pytest.raises(LogException) as caught:
        provider.get_credentials()
    assert caught.value.get_error_code() == "InvalidCredentials"
    assert SECRET not in str(caught.value)


def test_refreshing_provider_one_fetch_for_many_threads() -> None:
    clock = Clock()
    started = threading.Event()
    release = threading.Event()
    count = 0

    def fetch() -> Credentials:
        nonlocal count
        count += 1
        started.set()
        release.wait(5)
        return Credentials(f"id-{count}", SECRET, expiration=clock.now + 3600)

    provider = RefreshingCredentialsProvider(fetch, clock=clock)
    seen: list[str] = []
    threads = [
        threading.Thread(target=lambda: seen.append(provider.get_credentials().get_access_key_id())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    assert started.wait(5)
    release.set()
    for thread in threads:
        thread.join(5)
    assert count == 1
    assert seen == ["id-1"] * 8


def test_refresh_and_as_refresher_force_a_new_fetch() -> None:
    clock = Clock()
    counter = iter(range(1, 100))
    provider = RefreshingCredentialsProvider(
        lambda: Credentials(f"id-{next(counter)}", SECRET, TOKEN, expiration=clock.now + 3600), clock=clock
    )
    assert provider.get_credentials().get_access_key_id() == "id-1"
    assert provider.refresh().get_access_key_id() == "id-2"
    assert provider.as_refresher()() == ("id-3", SECRET, TOKEN)
    assert provider.get_credentials().get_access_key_id() == "id-3"
