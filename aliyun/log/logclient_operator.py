"""Multi-call operations as module functions taking the client first (official module path).

Each function here is built on :class:`~aliyun.log.LogClient`'s own methods: paging helpers
(:func:`list_more`, :func:`query_more`), splitting an oversized write (:func:`put_logs_auto_div`),
copying data shard by shard (:func:`copy_data`, :func:`copy_worker`), dumping shards to files
(:func:`dump_worker`) and the project/logstore copies that :meth:`LogClient.copy_project` and
:meth:`LogClient.copy_logstore` perform.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from json import JSONEncoder
from typing import Any, Callable, Optional

from .logexception import LogException
from .logresponse import LogResponse
from .putlogsrequest import PutLogsRequest

__all__ = [
    "MAX_INIT_SHARD_COUNT",
    "arrange_shard",
    "TOTAL_HASH_LENGTH",
    "TOTAL_SHARD_SIZE",
    "copy_data",
    "copy_logstore",
    "copy_project",
    "copy_worker",
    "dump_worker",
    "get_encoder_cls",
    "list_more",
    "pull_log_dump",
    "put_logs_auto_div",
    "query_more",
]

logger = logging.getLogger(__name__)

#: the most shards a copied logstore is created with
MAX_INIT_SHARD_COUNT = 100
#: size of the MD5 hash space shards divide (``0x` + 32 hex digits``)
TOTAL_SHARD_SIZE = int("f" * 32, 16)
#: hex digits of a shard hash key
TOTAL_HASH_LENGTH = 32
# Errors after which halving a PutLogs request can help.
_TOO_LARGE = frozenset({"InvalidLogSize", "PostBodyTooLarge", "ExceedQuota"})


def copy_project(
    from_client: Any,
    to_client: Any,
    from_project: str,
    to_project: str,
    copy_machine_group: bool = False,
    copy_dashboards: bool = False,
    copy_alerts: bool = False,
) -> Any:
    """Copy a project's logstores, indexes, configs (and machine groups) with ``from_client``'s
    :meth:`~aliyun.log.LogClient.copy_project`, into ``to_client``'s region."""
    return from_client.copy_project(
        from_project,
        to_project,
        to_client=to_client,
        copy_machine_group=copy_machine_group,
        copy_dashboards=copy_dashboards,
        copy_alerts=copy_alerts,
    )


def copy_logstore(
    from_client: Any,
    from_project: str,
    from_logstore: str,
    to_logstore: str,
    to_project: Optional[str] = None,
    to_client: Optional[Any] = None,
    to_region_endpoint: Optional[str] = None,
    keep_config_name: bool = False,
) -> Any:
    """Copy one logstore's settings, index and configs (see :meth:`LogClient.copy_logstore`)."""
    return from_client.copy_logstore(
        from_project,
        from_logstore,
        to_logstore,
        to_project=to_project,
        to_client=to_client,
        to_region_endpoint=to_region_endpoint,
        keep_config_name=keep_config_name,
    )


def pull_log_dump(
    client: Any,
    project_name: str,
    logstore_name: str,
    from_time: Any,
    to_time: Any,
    file_path: str,
    batch_size: Optional[int] = None,
    compress: Optional[bool] = None,
    encodings: Optional[Sequence[str]] = None,
    shard_list: Optional[Sequence[int]] = None,
    no_escape: Optional[bool] = None,
    query: Optional[str] = None,
    processor: Optional[str] = None,
) -> Any:
    """Dump shards to files, one JSON log per line (see :meth:`LogClient.pull_log_dump`)."""
    return client.pull_log_dump(
        project_name,
        logstore_name,
        from_time,
        to_time,
        file_path,
        batch_size=batch_size,
        compress=compress,
        encodings=encodings,
        shard_list=shard_list,
        no_escape=no_escape,
        query=query,
        processor=processor,
    )


def list_more(fn: Callable[..., Any], offset: int, size: int, batch_size: int, *args: Any) -> Any:
    """Call ``fn(*args, offset=, size=)`` page by page and merge the pages into the first.

    :param size: items wanted in all (``-1``: every item).
    :param batch_size: items per call.
    """
    wanted = sys.maxsize if size < 0 else size
    batch = batch_size if size < 0 else min(size, batch_size)
    response = None
    got = 0
    while batch > 0:
        page = fn(*args, offset=offset, size=batch)
        response = page if response is None else response.merge(page)
        count = page.get_count()
        offset += count
        got += count
        batch = min(batch, wanted - got)
        if count == 0 or offset >= page.get_total():
            break
    return response


def query_more(fn: Callable[..., Any], offset: int = 0, size: int = 100, batch_size: int = 100, **kwargs: Any) -> Any:
    """Call a query ``fn(offset=, size=, **kwargs)`` page by page while answers are complete, and
    merge the pages; stops at the first short or incomplete page."""
    wanted = sys.maxsize if size < 0 else size
    batch = batch_size if size < 0 else min(size, batch_size)
    response = None
    got = 0
    while batch > 0:
        page = fn(offset=offset, size=batch, **kwargs)
        response = page if response is None else response.merge(page)
        if not page.is_completed():
            break
        count = page.get_count()
        offset += count
        got += count
        if count < batch:
            break
        batch = min(batch, wanted - got)
    return response


def get_encoder_cls(encodings: Sequence[str]) -> type[JSONEncoder]:
    """A JSON encoder class writing ``bytes`` as text: the first of ``encodings`` that decodes
    them, else UTF-8 with undecodable bytes dropped."""

    class NonUtf8Encoder(JSONEncoder):
        def default(self, o: Any) -> Any:
            if isinstance(o, bytes):
                for encoding in encodings:
                    try:
                        return o.decode(encoding)
                    except UnicodeDecodeError:
                        continue
                return o.decode("utf-8", "ignore")
            return super().default(o)

    return NonUtf8Encoder


def put_logs_auto_div(client: Any, req: PutLogsRequest, div: int = 1) -> Any:
    """``client.put_logs(req)`` in ``div`` parts; a part the service finds too large is halved
    and sent again, recursively (parts already sent stay sent).

    :returns: the answer of the last part sent.
    :raises LogException: any other failure, or one log too large on its own.
    """
    items = list(req.get_log_items() or [])

    def send(part: list[Any]) -> Any:
        request = PutLogsRequest(
            req.get_project(),
            req.get_logstore(),
            req.get_topic(),
            req.get_source(),
            part,
            req.get_hash_key(),
            req.get_compress(),
            req.get_log_tags(),
            req.get_compress_type(),
        )
        return client.put_logs(request)

    def send_in(part: list[Any], pieces: int) -> Any:
        step = max(1, -(-len(part) // pieces))
        result = None
        for start in range(0, max(len(part), 1), step):
            chunk = part[start : start + step]
            try:
                result = send(chunk)
            except LogException as exc:
                if exc.get_error_code() not in _TOO_LARGE or len(chunk) <= 1:
                    raise
                logger.info("PutLogs of %s logs too large, sending it in halves", len(chunk))
                result = send_in(chunk, 2)
        return result

    return send_in(items, max(1, int(div)))


def copy_worker(
    from_client: Any,
    from_project: str,
    from_logstore: str,
    shard_id: int,
    from_time: Any,
    to_time: Any,
    to_client: Optional[Any] = None,
    to_project: Optional[str] = None,
    to_logstore: Optional[str] = None,
    batch_size: Optional[int] = None,
    compress: Optional[bool] = None,
    new_topic: Optional[str] = None,
    new_source: Optional[str] = None,
) -> tuple[int, int]:
    """Copy one shard's log groups (received in ``from_time``..``to_time``) to another logstore.

    :returns: ``(shard_id, logs copied)``.
    """
    target = to_client or from_client
    project, logstore = to_project or from_project, to_logstore or from_logstore
    copied = 0
    for batch in from_client.pull_log(
        from_project, from_logstore, shard_id, from_time, to_time, batch_size=batch_size, compress=compress
    ):
        for group in batch.get_loggroup_list().LogGroups:
            if not group.Logs:
                continue
            if new_topic is not None:
                group.Topic = new_topic
            if new_source is not None:
                group.Source = new_source
            target.put_log_raw(project, logstore, group, compress=compress)
            copied += len(group.Logs)
    return shard_id, copied


def copy_data(
    from_client: Any,
    from_project: str,
    from_logstore: str,
    from_time: Any,
    to_time: Any = None,
    to_client: Optional[Any] = None,
    to_project: Optional[str] = None,
    to_logstore: Optional[str] = None,
    shard_list: Optional[Sequence[int]] = None,
    batch_size: Optional[int] = None,
    compress: Optional[bool] = None,
    new_topic: Optional[str] = None,
    new_source: Optional[str] = None,
) -> LogResponse:
    """Copy the logs of every shard (or ``shard_list``) with :func:`copy_worker`, shards in parallel.

    :returns: a response whose body is ``{"total_count": N, "shards": {shard_id: N}}``.
    """
    shards = (
        list(shard_list)
        if shard_list is not None
        else [s["shardID"] for s in from_client.list_shards(from_project, from_logstore).get_shards_info()]
    )
    end = "end" if to_time is None else to_time
    with ThreadPoolExecutor(max_workers=max(1, min(len(shards), 8))) as pool:
        futures = [
            pool.submit(
                copy_worker,
                from_client,
                from_project,
                from_logstore,
                shard,
                from_time,
                end,
                to_client,
                to_project,
                to_logstore,
                batch_size,
                compress,
                new_topic,
                new_source,
            )
            for shard in shards
        ]
        counts = dict(future.result() for future in futures)
    return LogResponse({}, {"total_count": sum(counts.values()), "shards": counts})


def dump_worker(
    client: Any,
    project_name: str,
    logstore_name: str,
    from_time: Any,
    to_time: Any,
    shard_id: int,
    file_path: str,
    batch_size: Optional[int] = None,
    compress: Optional[bool] = None,
    encodings: Optional[Sequence[str]] = None,
    no_escape: Optional[bool] = None,
    query: Optional[str] = None,
    processor: Optional[str] = None,
) -> tuple[str, int]:
    """Write one shard's logs to ``file_path``, one JSON object per line.

    :returns: ``(file_path, logs written)``.
    """
    encoder = get_encoder_cls(encodings or ("utf8", "latin1", "gbk"))
    written = 0
    with open(file_path, "w", encoding="utf-8") as out:
        for batch in client.pull_log(
            project_name,
            logstore_name,
            shard_id,
            from_time,
            to_time,
            batch_size=batch_size,
            compress=compress,
            query=query,
            processor=processor,
        ):
            for log in batch.get_flatten_logs_json():
                out.write(json.dumps(log, cls=encoder, ensure_ascii=not no_escape))
                out.write("\n")
                written += 1
    return file_path, written


def _key_range(shard: dict[str, Any]) -> tuple[int, int]:
    return int(shard["inclusiveBeginKey"], 16), int(shard["exclusiveEndKey"], 16)


def arrange_shard(client: Any, project: str, logstore: str, count: int, stategy: Optional[str] = None) -> Any:
    """Split read-write shards until the logstore has ``count`` of them, of near-equal hash ranges.

    The widest read-write shard is cut into as many equal parts as its range holds average
    shards (at least two, at most what is still missing), then the next widest, and so on.
    A logstore that already has ``count`` read-write shards or more is left alone.

    :param stategy: accepted for compatibility (official spelling); only even splitting exists.
    :returns: the final ``list_shards`` answer.
    """
    average = TOTAL_SHARD_SIZE / max(1, int(count))
    while True:
        shards = client.list_shards(project, logstore)
        read_write = [s for s in shards.get_shards_info() if str(s["status"]).lower() == "readwrite"]
        missing = int(count) - len(read_write)
        if missing <= 0:
            return shards
        widest = max(read_write, key=lambda s: _key_range(s)[1] - _key_range(s)[0])
        begin, end = _key_range(widest)
        pieces = min(missing + 1, max(2, round((end - begin) / average)))
        step = (end - begin) // pieces
        if step <= 0:
            raise LogException("ShardNotSplittable", f"shard {widest['shardID']} is too narrow to split")
        shard_id = widest["shardID"]
        for part in range(1, pieces):
            key = format(begin + step * part, f"0{TOTAL_HASH_LENGTH}x")
            answer = client.split_shard(project, logstore, shard_id, key)
            # keep cutting the upper half: the new read-write shard starting at the cut
            shard_id = next(
                s["shardID"]
                for s in answer.get_shards_info()
                if str(s["inclusiveBeginKey"]).lower() == key and str(s["status"]).lower() == "readwrite"
            )
            logger.info("split shard of %s/%s at %s", project, logstore, key)
