from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional, Union

def encode_log_group(
    logs: Iterable[Any],
    topic: Optional[Union[str, bytes]],
    source: Optional[Union[str, bytes]],
    tags: Union[Sequence[tuple[Any, Any]], Mapping[Any, Any]] = ...,
    machine_uuid: Optional[Union[str, bytes]] = ...,
    *,
    always_write_topic: bool = ...,
) -> bytes: ...
def encode_fields(
    seconds: int, names: tuple[Any, ...], values: tuple[Any, ...], extra: Optional[Iterable[tuple[Any, Any]]]
) -> Optional[bytes]: ...
def encode_record(record: Any, spec: tuple[Any, ...]) -> Optional[bytes]: ...
def decode_flat_logs(data: Union[bytes, bytearray, memoryview]) -> list[dict[str, Any]]: ...
def check_log_group(data: Union[bytes, bytearray, memoryview]) -> Optional[int]: ...
