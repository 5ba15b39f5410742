"""HTTP handlers of the store calls: external stores, pipeline configs, store views, substores,
metering modes, multimodal configurations and SQL instances.

The plain document calls come from :func:`.documents.routes`; the rest read the request and
hand it to :class:`~..service.stores.StoreRules`, which holds the rules.
"""

from __future__ import annotations

from typing import Callable

from ..service.families_stores import EXTERNAL_STORE, PIPELINE_CONFIG, STORE_VIEW, SUBSTORE
from ..service.metric_stores import MetricStoreCalls
from ..service.stores import StoreRules
from . import shapes
from .context import Context, Reply
from .documents import Binding, routes

__all__ = ["ROUTES"]

Handler = Callable[[Context], Reply]


def _rules(ctx: Context) -> StoreRules:
    return StoreRules(ctx.service.state, ctx.service.documents, ctx.service.indexes)


def _metric_stores(ctx: Context) -> MetricStoreCalls:
    return MetricStoreCalls(ctx.service.logstores, _rules(ctx))


def create_metric_store(ctx: Context) -> Reply:
    _metric_stores(ctx).create(ctx.project, ctx.json())
    return Reply.empty()


def get_metric_store(ctx: Context) -> Reply:
    return Reply.json(_metric_stores(ctx).get(ctx.project, ctx.segments["logstore"]))


def update_metric_store(ctx: Context) -> Reply:
    _metric_stores(ctx).update(ctx.project, ctx.segments["logstore"], ctx.json())
    return Reply.empty()


def delete_metric_store(ctx: Context) -> Reply:
    _metric_stores(ctx).delete(ctx.project, ctx.segments["logstore"])
    return Reply.empty()


def list_metric_stores(ctx: Context) -> Reply:
    return Reply.json(
        shapes.listing("metricstores", _metric_stores(ctx).list(ctx.project, ctx.params, ctx.page_request()))
    )


def create_external_store(ctx: Context) -> Reply:
    _rules(ctx).create_external_store(ctx.project, ctx.json(EXTERNAL_STORE.invalid_code))
    return Reply.empty()


def create_store_view(ctx: Context) -> Reply:
    _rules(ctx).create_store_view(ctx.project, ctx.json(STORE_VIEW.invalid_code))
    return Reply.empty()


def update_store_view(ctx: Context) -> Reply:
    _rules(ctx).update_store_view(ctx.project, ctx.segments["storeview"], ctx.json(STORE_VIEW.invalid_code))
    return Reply.empty()


def create_substore(ctx: Context) -> Reply:
    _rules(ctx).create_substore(ctx.project, ctx.segments["logstore"], ctx.json(SUBSTORE.invalid_code))
    return Reply.empty()


def update_substore(ctx: Context) -> Reply:
    _rules(ctx).update_substore(ctx.project, ctx.segments["logstore"], ctx.segments["substore"])
    return Reply.empty()  # pragma: no cover - update_substore always raises


def get_substore_ttl(ctx: Context) -> Reply:
    return Reply.json(_rules(ctx).substore_ttl(ctx.project, ctx.segments["logstore"]))


def update_substore_ttl(ctx: Context) -> Reply:
    _rules(ctx).update_substore_ttl(ctx.project, ctx.segments["logstore"], ctx.param("ttl"))
    return Reply.empty()


def _metering(metric: bool) -> tuple[Handler, Handler]:
    def get(ctx: Context) -> Reply:
        return Reply.json(_rules(ctx).metering_mode(ctx.project, ctx.segments["logstore"], metric=metric))

    def update(ctx: Context) -> Reply:
        _rules(ctx).update_metering_mode(ctx.project, ctx.segments["logstore"], ctx.json(), metric=metric)
        return Reply.empty()

    return get, update


def get_multimodal(ctx: Context) -> Reply:
    return Reply.json(_rules(ctx).multimodal(ctx.project, ctx.segments["logstore"]))


def put_multimodal(ctx: Context) -> Reply:
    _rules(ctx).put_multimodal(ctx.project, ctx.segments["logstore"], ctx.json())
    return Reply.empty()


def create_sql_instance(ctx: Context) -> Reply:
    _rules(ctx).create_sql_instance(ctx.project, ctx.json())
    return Reply.empty()


def update_sql_instance(ctx: Context) -> Reply:
    _rules(ctx).update_sql_instance(ctx.project, ctx.json())
    return Reply.empty()


def list_sql_instance(ctx: Context) -> Reply:
    return Reply.json(_rules(ctx).list_sql_instance(ctx.project))


_LOGSTORE_METERING = _metering(metric=False)
_METRIC_METERING = _metering(metric=True)

ROUTES: dict[str, Handler] = {
    **routes(
        Binding(
            EXTERNAL_STORE,
            "externalstore",
            get="GetExternalStore",
            update="UpdateExternalStore",
            delete="DeleteExternalStore",
            list="ListExternalStore",
        )
    ),
    "CreateExternalStore": create_external_store,
    **routes(
        Binding(
            PIPELINE_CONFIG,
            "pipelineconfig",
            create="CreateLogtailPipelineConfig",
            get="GetLogtailPipelineConfig",
            update="UpdateLogtailPipelineConfig",
            delete="DeleteLogtailPipelineConfig",
            list="ListLogtailPipelineConfig",
        )
    ),
    **routes(Binding(STORE_VIEW, "storeview", get="GetStoreView", delete="DeleteStoreView", list="ListStoreViews")),
    "CreateStoreView": create_store_view,
    "UpdateStoreView": update_store_view,
    **routes(Binding(SUBSTORE, "substore", get="GetSubStore", delete="DeleteSubStore", list="ListSubStore")),
    "CreateSubStore": create_substore,
    "UpdateSubStore": update_substore,
    "GetSubStoreTTL": get_substore_ttl,
    "UpdateSubStoreTTL": update_substore_ttl,
    "GetLogStoreMeteringMode": _LOGSTORE_METERING[0],
    "UpdateLogStoreMeteringMode": _LOGSTORE_METERING[1],
    "GetMetricStoreMeteringMode": _METRIC_METERING[0],
    "UpdateMetricStoreMeteringMode": _METRIC_METERING[1],
    "GetLogStoreMultimodalConfiguration": get_multimodal,
    "PutLogStoreMultimodalConfiguration": put_multimodal,
    "CreateMetricStore": create_metric_store,
    "GetMetricStore": get_metric_store,
    "UpdateMetricStore": update_metric_store,
    "DeleteMetricStore": delete_metric_store,
    "ListMetricStores": list_metric_stores,
    "CreateSqlInstance": create_sql_instance,
    "UpdateSqlInstance": update_sql_instance,
    "ListSqlInstance": list_sql_instance,
}
