"""Starting and stopping EmulatorServer, including after waitress closed its own listener."""

from __future__ import annotations

from aliyun.log.emulator import EmulatorServer


def test_stop_after_the_listener_closed_itself() -> None:
    server = EmulatorServer(port=0).start()
    server.client().list_project()
    server._server.close()  # what waitress does after a fatal accept error: listener and trigger closed
    server.stop()
    assert server._thread is not None and not server._thread.is_alive()


def test_stop_is_idempotent_and_frees_the_port() -> None:
    first = EmulatorServer(port=0).start()
    port = first.port
    first.client().list_project()
    first.stop()
    first.stop()
    assert first._thread is not None and not first._thread.is_alive()
    with EmulatorServer(port=port) as second:
        assert second.client().list_project().get_count() == 0
