"""``LogClient.set_credentials_auto_refresher``: rejected credentials are replaced once, then the call is sent again."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Optional

import pytest

from aliyun.log import LogClient, LogException
from aliyun.log.consumer import ConsumerProcessorBase, ConsumerWorker, CursorPosition, LogHubConfig
from aliyun.log.emulator import EmulatorServer
from aliyun.log.logexception import AuthError


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as srv:
        srv.client(in_process=True).create_project("refresh-tests", "credentials refresher")
        yield srv


class Refresher:
    """Counts calls and answers the given credentials (or raises)."""

    def __init__(self, key_id: str, secret: str, token: Optional[str] = None, fail: bool = False) -> None:
        self.calls = 0
        self.values = (key_id, secret, token)
        self.fail = fail
        self.lock = threading.Lock()

    def __call__(self) -> tuple[str, str, Optional[str]]:
        with self.lock:
            self.calls += 1
        if self.fail:
            raise RuntimeError("vault unreachable")
        return self.values


def stale_client(server: EmulatorServer) -> LogClient:
    return LogClient(server.endpoint, server.access_key_id, "an-old-secret")


def test_rejected_credentials_are_refreshed_and_the_call_repeated(server: EmulatorServer) -> None:
    client = stale_client(server)
    refresher = Refresher(server.access_key_id, server.access_key_secret)
    client.set_credentials_auto_refresher(refresher)

    assert client.get_project("refresh-tests").get_projectname() == "refresh-tests"
    assert refresher.calls == 1
    # the fresh credentials stay: no further refresh
    assert client.get_project("refresh-tests").get_projectname() == "refresh-tests"
    assert refresher.calls == 1


def test_without_a_refresher_the_auth_error_is_raised(server: EmulatorServer) -> None:
    with pytest.raises(AuthError) as caught:
        stale_client(server).get_project("refresh-tests")
    assert caught.value.get_error_code() == "SignatureNotMatch"


def test_a_failing_refresher_surfaces_the_original_error(server: EmulatorServer) -> None:
    client = stale_client(server)
    refresher = Refresher("", "", fail=True)
    client.set_credentials_auto_refresher(refresher)
    with pytest.raises(AuthError) as caught:
        client.get_project("refresh-tests")
    assert caught.value.get_error_code() == "SignatureNotMatch"
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert refresher.calls == 1


def test_a_refresher_answering_stale_keys_fails_after_one_retry(server: EmulatorServer) -> None:
    client = stale_client(server)
    refresher = Refresher(server.access_key_id, "still-wrong")
    client.set_credentials_auto_refresher(refresher)
    with pytest.raises(AuthError):
        client.get_project("refresh-tests")
    assert refresher.calls == 1  # one refresh per failed call, never a loop


def test_a_malformed_refresher_answer_is_reported(server: EmulatorServer) -> None:
    client = stale_client(server)
    client.set_credentials_auto_refresher(lambda: ("only-one",))  # type: ignore[arg-type,return-value]
    with pytest.raises(AuthError) as caught:
        client.get_project("refresh-tests")
    assert isinstance(caught.value.__cause__, LogException)
    assert caught.value.__cause__.get_error_code() == "InvalidCredentials"


def test_errors_other_than_credentials_do_not_refresh(server: EmulatorServer) -> None:
    client = LogClient(server.endpoint, server.access_key_id, server.access_key_secret)
    refresher = Refresher(server.access_key_id, server.access_key_secret)
    client.set_credentials_auto_refresher(refresher)
    with pytest.raises(LogException) as caught:
        client.get_project("no-such-project")
    assert caught.value.get_error_code() == "ProjectNotExist"
    assert refresher.calls == 0


def test_threads_failing_together_refresh_once(server: EmulatorServer) -> None:
    client = stale_client(server)
    refresher = Refresher(server.access_key_id, server.access_key_secret)
    client.set_credentials_auto_refresher(refresher)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            client.get_project("refresh-tests")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Threads that failed before the first refresh landed reuse it; a thread whose failure came
    # after it would see a newer generation only if credentials changed again, which they did not.
    assert refresher.calls == 1


def test_turning_the_refresher_off(server: EmulatorServer) -> None:
    client = stale_client(server)
    refresher = Refresher(server.access_key_id, server.access_key_secret)
    client.set_credentials_auto_refresher(refresher)
    client.set_credentials_auto_refresher(None)
    with pytest.raises(AuthError):
        client.get_project("refresh-tests")
    assert refresher.calls == 0


def test_user_agent_is_readable(server: EmulatorServer) -> None:
    client = stale_client(server)
    assert client.user_agent.startswith("log-python-sdk-v-")
    client.set_user_agent("my-app/1.0")
    assert client.user_agent == "my-app/1.0"


def test_consumer_worker_with_only_a_refresher_consumes(server: EmulatorServer) -> None:
    client = server.client(in_process=True)
    client.create_logstore("refresh-tests", "rotated", shard_count=1)
    client.put_log_raw("refresh-tests", "rotated", _group())
    refresher = Refresher(server.access_key_id, server.access_key_secret)
    seen: list[str] = []
    done = threading.Event()

    class Collect(ConsumerProcessorBase):
        def process(self, log_groups, check_point_tracker):  # type: ignore[no-untyped-def]
            seen.extend(c.Value for g in log_groups.LogGroups for log in g.Logs for c in log.Contents)
            check_point_tracker.save_check_point(True)
            done.set()

    option = LogHubConfig(
        server.endpoint, "", "", "refresh-tests", "rotated", "g", "c1", CursorPosition.BEGIN_CURSOR,
        heartbeat_interval=0.3, data_fetch_interval=0.05, credentials_refresher=refresher,
    )  # fmt: skip
    worker = ConsumerWorker(Collect, option)
    worker.start()
    try:
        assert done.wait(30)
    finally:
        worker.shutdown(timeout=10)
    assert seen == ["rotated-keys"]
    assert refresher.calls == 1  # asked once at start for both clients, never again: the keys stayed valid


def _group() -> bytes:
    from aliyun.log._codec import encode_log_group

    return encode_log_group([(1_700_000_000, 0, [("msg", "rotated-keys")])], "", "10.0.0.1")
