"""The consumer's exceptions take the official (message, cause) form and this package's (code, message)."""

from __future__ import annotations

import pytest

from aliyun.log import LogException
from aliyun.log.consumer.exceptions import CheckPointException, ClientWorkerException


@pytest.mark.parametrize("cls", [CheckPointException, ClientWorkerException])
def test_official_form(cls: type) -> None:
    cause = ValueError("boom")
    exc = cls("could not write", cause)
    assert isinstance(exc, LogException)
    assert exc.get_error_code() == cls.__name__
    assert exc.get_error_message() == "could not write"
    assert exc.__cause__ is cause
    assert cls("alone").__cause__ is None


@pytest.mark.parametrize("cls", [CheckPointException, ClientWorkerException])
def test_own_form(cls: type) -> None:
    exc = cls("SomeCode", "a message")
    assert exc.get_error_code() == "SomeCode"
    assert exc.get_error_message() == "a message"
