"""Multi-call operations as module functions taking the client first (official module path).

Each function here is built on :class:`~aliyun.log.LogClient`'s own methods: paging helpers
(:func:`list_more`, :func:`query_more`), splitting an oversized write (:func:`put_logs_auto_div`),
copying and transforming data shard by shard (:func:`copy_data`, :func:`transform_data`, their
one-shard forms :func:`copy_worker`, :func:`transform_worker`; the engine is
``aliyun/log/_datamove``, see ``docs/data-tools.md``), dumping shards to files
(:func:`dump_worker`) and the project/logstore copies that :meth:`LogClient.copy_project` and
:meth:`LogClient.copy_logstore` perform.
"""

from __future__ import annotations

import copy
import json
import logging
import sys
from collections.abc import Sequence
from json import JSONEncoder
from typing import Any, Callable, Optional

from ._client.usage import ResourceUsageResponse
from ._datamove import MoveJob, Progress, run_move
from ._datamove.consumer import TransformDataConsumer
from ._datamove.engine import summary
from .logexception import LogException
from .logresponse import LogResponse
from .putlogsrequest import PutLogsRequest

__all__ = [
    "MAX_INIT_SHARD_COUNT",
    "Progress",
    "ResourceUsageResponse",
    "copy_dashboard",
    "get_resource_usage",
    "arrange_shard",
    "TOTAL_HASH_LENGTH",
    "TOTAL_SHARD_SIZE",
    "TransformDataConsumer",
    "copy_alert",
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
    "transform_data",
    "transform_worker",
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


def _rebind_alert(alert: dict[str, Any], project: str, rebind: bool) -> dict[str, Any]:
    """A copy of an alert document to create anew: the service's own fields dropped and, with
    ``rebind``, its queries and its template's ``default.project`` pointing at ``project``."""
    new = copy.deepcopy(alert)
    for service_field in ("scheduleId", "createTime", "lastModifiedTime", "lastModifiedBy", "status"):
        new.pop(service_field, None)
    config = new.get("configuration")
    if not rebind or not isinstance(config, dict):
        return new
    for query in config.get("queryList") or []:
        if isinstance(query, dict) and "project" in query:
            query["project"] = project
    tokens = (config.get("templateConfiguration") or {}).get("tokens")
    if isinstance(tokens, dict) and "default.project" in tokens:
        tokens["default.project"] = project
    return new


def copy_alert(
    from_client: Any,
    from_project: str,
    from_alert_name: str,
    to_project: Optional[str] = None,
    to_alert_name: Optional[str] = None,
    to_client: Optional[Any] = None,
    to_region_endpoint: Optional[str] = None,
) -> None:
    """Copy an alert with ``from_client`` (see :meth:`~aliyun.log.LogClient.copy_alert`).

    The copy is named ``to_alert_name`` (default: the same name) in ``to_project`` (default: the
    same project, which then needs another name). ``to_client`` reaches the target (another region
    or account); ``to_region_endpoint`` alone is refused, as in ``copy_logstore``. A copy into another
    project has its queries rebound to that project. An alert of that name already in the
    target (``JobAlreadyExist``) is left as it is, so a copy onto itself changes nothing.
    """
    if to_client is None and to_region_endpoint is not None:
        raise LogException("BadParameters", "pass to_client=LogClient(to_region_endpoint, ...) instead")
    target = to_client if to_client is not None else from_client
    to_project = to_project or from_project
    to_alert_name = to_alert_name or from_alert_name
    alert = from_client.get_alert(from_project, from_alert_name).get_body()
    new = _rebind_alert(alert, to_project, rebind=to_project != from_project)
    new["name"] = to_alert_name
    try:
        target.create_alert(to_project, new)
    except LogException as exc:
        if exc.get_error_code() != "JobAlreadyExist":
            raise


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


def get_resource_usage(client: Any, project: str) -> ResourceUsageResponse:
    """A project's resource usage against its quotas (see :meth:`LogClient.get_resource_usage`)."""
    usage: ResourceUsageResponse = client.get_resource_usage(project)
    return usage


def copy_dashboard(
    from_client: Any,
    from_project: str,
    from_dashboard_name: str,
    to_project: Optional[str] = None,
    to_dashboard_name: Optional[str] = None,
    to_client: Optional[Any] = None,
    to_region_endpoint: Optional[str] = None,
) -> None:
    """Copy a dashboard with ``from_client``'s :meth:`~aliyun.log.LogClient.copy_dashboard`."""
    from_client.copy_dashboard(
        from_project,
        from_dashboard_name,
        to_project=to_project,
        to_dashboard_name=to_dashboard_name,
        to_client=to_client,
        to_region_endpoint=to_region_endpoint,
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
    shard_list: Any = None,
    batch_size: Optional[int] = None,
    compress: Optional[bool] = None,
    new_topic: Optional[str] = None,
    new_source: Optional[str] = None,
    *,
    progress: Optional[Callable[..., Any]] = None,
    checkpoint: Any = None,
    workers: Optional[int] = None,
) -> LogResponse:
    """Copy the log groups received in ``from_time``..``to_time`` (default ``"end"``) of every
    shard (or ``shard_list``: ``"0,2-4"`` or a list) to another logstore, shards in threads.

    Memory stays bounded: each thread holds one batch of ``batch_size`` log groups (default 100).

    :param progress: keyword-only; called with a :class:`Progress` (job totals) after every
        batch. ``None``: a progress bar on standard error when it is a terminal; ``False``: nothing.
    :param checkpoint: keyword-only; a dict or a JSON file path. Positions are saved there
        after every written batch, and a rerun with the same checkpoint continues from them.
    :param workers: keyword-only; threads (default one per shard, at most 8).
    :returns: a response whose body is ``{"total_count": N, "shards": {"0": N, ...}}`` (shards
        that had logs) plus ``total_written`` and ``total_batches``.
    """
    job = MoveJob(
        from_client, from_project, from_logstore, from_time, "end" if to_time is None else to_time,
        to_client or from_client, to_project or from_project, to_logstore or from_logstore,
        batch_size=batch_size, compress=compress, new_topic=new_topic, new_source=new_source,
    )  # fmt: skip
    per_shard, _ = run_move(job, shard_list, progress=progress, checkpoint=checkpoint, workers=workers)
    return summary(per_shard, transform=False)


def _runner_of(config: Any) -> Callable[[dict[str, Any]], Any]:
    if callable(config) and not isinstance(config, type):
        return config  # type: ignore[no-any-return]
    from .etl_core import Runner

    return Runner(config)


def transform_worker(
    from_client: Any,
    from_project: str,
    from_logstore: str,
    shard_id: int,
    from_time: Any,
    to_time: Any,
    config: Any,
    to_client: Any,
    to_project: str,
    to_logstore: str,
    batch_size: Optional[int] = None,
    compress: Optional[bool] = None,
) -> tuple[int, int, int, int, int]:
    """Transform one shard with the ETL script ``config`` (a path, a module or a callable).

    :returns: ``(shard_id, count, removed, processed, failed)``.
    """
    job = MoveJob(
        from_client, from_project, from_logstore, from_time, to_time, to_client or from_client,
        to_project, to_logstore, batch_size=batch_size, compress=compress, runner=_runner_of(config),
    )  # fmt: skip
    per_shard, _ = run_move(job, [shard_id], progress=False)
    c = per_shard.get(int(shard_id), {})
    return shard_id, c.get("read", 0), c.get("removed", 0), c.get("written", 0), c.get("failed", 0)


def transform_data(
    from_client: Any,
    from_project: str,
    from_logstore: str,
    from_time: Any,
    to_time: Any = None,
    to_client: Optional[Any] = None,
    to_project: Optional[str] = None,
    to_logstore: Optional[str] = None,
    shard_list: Any = None,
    config: Any = None,
    batch_size: Optional[int] = None,
    compress: Optional[bool] = None,
    cg_name: Optional[str] = None,
    c_name: Optional[str] = None,
    cg_heartbeat_interval: Optional[int] = None,
    cg_data_fetch_interval: Optional[int] = None,
    cg_in_order: Optional[bool] = None,
    cg_worker_pool_size: Optional[int] = None,
    *,
    progress: Optional[Callable[..., Any]] = None,
    checkpoint: Any = None,
    workers: Optional[int] = None,
) -> LogResponse:
    """Transform the logs received in ``from_time``..``to_time`` with the ETL script ``config``
    (the path of a script, its module, or any callable ``event -> event | [events] | None``;
    see :mod:`aliyun.log.etl_core`) and write the results to another (or the same) logstore.

    Without ``config`` this is :func:`copy_data`. Batch mode (no ``cg_name``) reads the shards in
    threads exactly as :func:`copy_data` does, with the same ``progress``, ``checkpoint`` and
    ``workers`` keyword-only options. With ``cg_name`` a consumer group reads instead
    (:class:`TransformDataConsumer`) until interrupted; its checkpoints are the group's.

    :returns: ``{"total_count": N, "shards": {"0": {"total_count", "transformed", "removed",
        "failed"}}}`` plus ``total_written``, ``total_removed``, ``total_failed``, ``total_batches``.
    """
    if not config:
        return copy_data(
            from_client, from_project, from_logstore, from_time, to_time, to_client, to_project, to_logstore,
            shard_list, batch_size, compress, progress=progress, checkpoint=checkpoint, workers=workers,
        )  # fmt: skip
    target = to_client or from_client
    to_project, to_logstore = to_project or from_project, to_logstore or from_logstore
    if cg_name:
        return _transform_by_consumer_group(
            from_client, from_project, from_logstore, from_time, to_time, target, to_project, to_logstore, config,
            cg_name, c_name, cg_heartbeat_interval, cg_data_fetch_interval, cg_in_order, cg_worker_pool_size,
        )  # fmt: skip
    job = MoveJob(
        from_client, from_project, from_logstore, from_time, "end" if to_time is None else to_time, target,
        to_project, to_logstore, batch_size=batch_size, compress=compress, runner=_runner_of(config),
    )  # fmt: skip
    per_shard, _ = run_move(job, shard_list, progress=progress, checkpoint=checkpoint, workers=workers)
    return summary(per_shard, transform=True)


def _transform_by_consumer_group(
    from_client: Any, from_project: str, from_logstore: str, from_time: Any, to_time: Any, to_client: Any,
    to_project: str, to_logstore: str, config: Any, cg_name: str, c_name: Optional[str],
    heartbeat: Optional[int], fetch_interval: Optional[int], in_order: Optional[bool], pool_size: Optional[int],
) -> LogResponse:  # fmt: skip
    import os
    import threading

    from .consumer import ConsumerWorker, CursorPosition, LogHubConfig

    option = LogHubConfig(
        from_client.endpoint.url(),
        "", "", from_project, from_logstore,
        cg_name, c_name or f"transform_data_{os.getpid()}", cursor_position=CursorPosition.SPECIAL_TIMER_CURSOR,
        cursor_start_time=from_time, cursor_end_time=to_time, heartbeat_interval=heartbeat or 20,
        data_fetch_interval=fetch_interval or 2, in_order=bool(in_order), worker_pool_size=pool_size or 3,
    )  # fmt: skip
    TransformDataConsumer.set_transform_options(config, to_client, to_project, to_logstore)
    result: dict[str, Any] = {"total_count": 0, "shards": {}}
    lock = threading.Lock()

    def status_updator(shard_id: int, count: int = 0, removed: int = 0, processed: int = 0, failed: int = 0) -> None:
        with lock:
            result["total_count"] += count
            entry = result["shards"].setdefault(
                str(shard_id), {"total_count": 0, "transformed": 0, "removed": 0, "failed": 0}
            )
            for key, value in (
                ("total_count", count),
                ("transformed", processed),
                ("removed", removed),
                ("failed", failed),
            ):
                entry[key] += value

    # the worker signs with from_client itself (its credentials never leave it)
    worker = ConsumerWorker(TransformDataConsumer, consumer_option=option, args=(status_updator,), client=from_client)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(timeout=60)
    except KeyboardInterrupt:
        logger.info("transform_data: interrupted, stopping the consumer")
        worker.shutdown()
        worker.join(timeout=120)
    return LogResponse({}, result)


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
