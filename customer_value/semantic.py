"""The semantic layer's SQL, without a connection: MetricFlow renders a query of the project's
metrics (from target/semantic_manifest.json, written by `dbt parse` or any dbt command) as
DuckDB SQL, which the caller runs on the built database. The tests compare these answers
with the metrics relations; `mf query` (the README) runs the same engine through the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup


class RenderOnlyDuckDbClient:
    """The part of MetricFlow's SqlClient that rendering reads (the engine and its renderer);
    MetricFlowEngine.explain never runs a query."""

    sql_engine_type = SqlEngine.DUCKDB
    sql_plan_renderer = DuckDbSqlPlanRenderer()


@cache
def engine(manifest_path: Path) -> MetricFlowEngine:
    """A MetricFlow engine over the semantic manifest at MANIFEST_PATH."""
    manifest = parse_manifest_from_dbt_generated_manifest(manifest_json_string=manifest_path.read_text())
    return MetricFlowEngine(SemanticManifestLookup(manifest), RenderOnlyDuckDbClient())  # type: ignore[arg-type]


def query_sql(manifest_path: Path, metrics: Sequence[str], group_by: Sequence[str]) -> str:
    """The DuckDB SQL MetricFlow runs for `mf query --metrics METRICS --group-by GROUP_BY`,
    ordered by the group-by columns."""
    request = MetricFlowQueryRequest.create(
        metric_names=list(metrics), group_by_names=list(group_by), order_by_names=list(group_by)
    )
    return engine(manifest_path).explain(request).sql_statement.sql
