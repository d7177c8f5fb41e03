"""The report: one self-contained HTML file of charts drawn from a built DuckDB database.

Usage: ``python -m customer_value.report --database customer_value.duckdb --out target/report.html``
(``make report``). Every chart reads a metrics relation (or a small aggregate of a public
relation), never the order rows, so the report stays fast on large shops; plotly.js is
inlined, so the file opens without a network. Each chart says its metric's definition in
one line and links to the relation's page of the static docs (``make docs-static`` writes
``target/static_index.html`` beside the report).
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

DOCS_PAGE = "static_index.html#!/model/model.customer_value.{relation}"
# Bins of the P(alive) histogram: twenty of width 0.05 (1.0 falls in the last).
P_ALIVE_BINS = 20


@dataclass(frozen=True)
class Chart:
    """One chart of the report: its element id, title, one-line definition, the relation it
    reads (for the docs link) and the figure, or None with a note when there is nothing to
    draw (say, predictive models that could not be fitted)."""

    key: str
    title: str
    definition: str
    relation: str
    figure: go.Figure | None
    note: str = ""


def rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def number(value: Any) -> float | None:
    """A decimal or float of the database as a float for plotly; null stays null."""
    return None if value is None else float(value)


def has_relation(connection: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, name = relation.split(".")
    found = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
    ).fetchone()
    return bool(found and found[0])


def layout(figure: go.Figure, **axes: Any) -> go.Figure:
    figure.update_layout(
        height=380, margin={"l": 60, "r": 60, "t": 20, "b": 50}, legend={"orientation": "h", "y": -0.2}, **axes
    )
    return figure


def cohort_heatmap(connection: duckdb.DuckDBPyConnection) -> Chart:
    data = rows(
        connection,
        "select cohort_month, months_since_first_order, retention_rate from metrics.cohort_retention"
        " order by cohort_month, months_since_first_order",
    )
    cohorts = sorted({row["cohort_month"] for row in data})
    ages = sorted({row["months_since_first_order"] for row in data})
    cells = {(row["cohort_month"], row["months_since_first_order"]): row["retention_rate"] for row in data}
    z = [[cells.get((cohort, age)) for age in ages] for cohort in cohorts]
    figure = go.Figure(
        go.Heatmap(
            x=ages,
            y=[cohort.isoformat()[:7] for cohort in cohorts],
            z=z,
            zmin=0,
            zmax=1,
            colorscale="Blues",
            hovertemplate="cohort %{y}, month %{x}: %{z:.1%}<extra></extra>",
        )
    )
    return Chart(
        "cohort-retention",
        "Cohort retention",
        "Share of a first-order cohort with a completed order in month k after its first month (month 0 is 100 %).",
        "cohort_retention",
        layout(figure, xaxis_title="months since first order", yaxis_title="cohort", yaxis_autorange="reversed"),
    )


def cumulative_revenue_by_cohort(connection: duckdb.DuckDBPyConnection) -> Chart:
    data = rows(
        connection,
        "select cohort_month, months_since_first_order, cumulative_revenue_per_customer"
        " from metrics.cohort_retention order by cohort_month, months_since_first_order",
    )
    figure = go.Figure()
    for cohort in sorted({row["cohort_month"] for row in data}):
        series = [row for row in data if row["cohort_month"] == cohort]
        figure.add_scatter(
            x=[row["months_since_first_order"] for row in series],
            y=[number(row["cumulative_revenue_per_customer"]) for row in series],
            mode="lines",
            name=cohort.isoformat()[:7],
        )
    return Chart(
        "cumulative-revenue",
        "Cumulative revenue per customer, by cohort",
        "Revenue of a cohort's completed orders up to n months after its first month, per customer of the cohort.",
        "cohort_retention",
        layout(figure, xaxis_title="months since first order", yaxis_title="revenue per customer", showlegend=False),
    )


def revenue_and_aov(connection: duckdb.DuckDBPyConnection) -> Chart:
    data = rows(connection, "select month, revenue, aov from metrics.sales_monthly order by month")
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    months = [row["month"].isoformat() for row in data]
    figure.add_bar(x=months, y=[number(row["revenue"]) for row in data], name="revenue")
    figure.add_scatter(x=months, y=[number(row["aov"]) for row in data], name="AOV", secondary_y=True)
    figure.update_yaxes(title_text="revenue", secondary_y=False)
    figure.update_yaxes(title_text="AOV", secondary_y=True)
    return Chart(
        "revenue-aov",
        "Monthly revenue and AOV",
        "Revenue: the month's completed orders' amounts; AOV = revenue / completed orders.",
        "sales_monthly",
        layout(figure),
    )


def churn_and_retention(connection: duckdb.DuckDBPyConnection) -> Chart:
    data = rows(connection, "select month, churn_rate, retention_rate from metrics.retention_monthly order by month")
    figure = go.Figure()
    months = [row["month"].isoformat() for row in data]
    for column, name in [("churn_rate", "churn rate"), ("retention_rate", "retention rate")]:
        figure.add_scatter(x=months, y=[row[column] for row in data], name=name, mode="lines+markers")
    return Chart(
        "churn-retention",
        "Churn and retention",
        "Churn rate = lost / active at the month's start (L / S); retention rate = (E - N) / S.",
        "retention_monthly",
        layout(figure, yaxis_tickformat=".0%"),
    )


def clv_by_channel(connection: duckdb.DuckDBPyConnection) -> Chart:
    data = rows(
        connection,
        "select segment, clv, discounted_clv, clv_to_cac from metrics.clv_summary"
        " where segment_type = 'acquisition_channel' order by segment",
    )
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    channels = [row["segment"] for row in data]
    for column, name in [("clv", "CLV"), ("discounted_clv", "discounted CLV")]:
        figure.add_bar(x=channels, y=[number(row[column]) for row in data], name=name)
    figure.add_scatter(
        x=channels,
        y=[number(row["clv_to_cac"]) for row in data],
        name="CLV:CAC",
        mode="markers",
        marker={"size": 12, "symbol": "diamond"},
        secondary_y=True,
    )
    figure.update_yaxes(title_text="CLV", secondary_y=False)
    figure.update_yaxes(title_text="CLV:CAC", secondary_y=True)
    return Chart(
        "clv-channel",
        "CLV and CLV:CAC by acquisition channel",
        "CLV = AOV x purchase frequency x expected lifetime (x margin); CLV:CAC = CLV / acquisition cost per customer.",
        "clv_summary",
        layout(figure, barmode="group"),
    )


def nps_trend(connection: duckdb.DuckDBPyConnection) -> Chart:
    data = rows(
        connection,
        "select month, nps, nps_margin_of_error from metrics.nps_monthly where responses > 0 order by month",
    )
    months = [row["month"].isoformat() for row in data]
    nps = [row["nps"] for row in data]
    margin = [row["nps_margin_of_error"] or 0 for row in data]
    figure = go.Figure()
    figure.add_scatter(
        x=months + months[::-1],
        y=[value + half for value, half in zip(nps, margin, strict=True)]
        + [value - half for value, half in zip(nps, margin, strict=True)][::-1],
        fill="toself",
        line={"width": 0},
        fillcolor="rgba(31, 119, 180, 0.2)",
        name="95 % margin of error",
        hoverinfo="skip",
    )
    figure.add_scatter(x=months, y=nps, name="NPS", mode="lines+markers", line={"color": "rgb(31, 119, 180)"})
    return Chart(
        "nps",
        "NPS, with its margin of error",
        "NPS = 100 x (promoters - detractors) / responses; the band is the 95 % margin of error.",
        "nps_monthly",
        layout(figure, yaxis_title="NPS", yaxis_range=[-100, 100]),
    )


def csat_and_ces(connection: duckdb.DuckDBPyConnection) -> Chart:
    csat = rows(connection, "select month, csat from metrics.csat_monthly where responses > 0 order by month")
    ces = rows(connection, "select month, mean_effort from metrics.ces_monthly where responses > 0 order by month")
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_scatter(
        x=[row["month"].isoformat() for row in csat], y=[row["csat"] for row in csat], name="CSAT (%)", mode="lines"
    )
    figure.add_scatter(
        x=[row["month"].isoformat() for row in ces],
        y=[row["mean_effort"] for row in ces],
        name="CES mean effort (1-5)",
        mode="lines",
        secondary_y=True,
    )
    figure.update_yaxes(title_text="CSAT (%)", range=[0, 100], secondary_y=False)
    figure.update_yaxes(title_text="mean effort", range=[1, 5], secondary_y=True)
    return Chart(
        "csat-ces",
        "CSAT and CES",
        "CSAT = share of responses scoring 4-5, in %; CES = mean effort score, 1 (very little) to 5.",
        "csat_monthly",
        layout(figure),
    )


def p_alive_distribution(connection: duckdb.DuckDBPyConnection) -> Chart:
    title, relation = "P(alive) of the purchasers", "customer_predictions"
    definition = "BG/NBD probability that a purchaser is still active at as_of_date, given their purchase history."
    if not has_relation(connection, "marts.customer_predictions"):
        return Chart("p-alive", title, definition, relation, None, "Built on DuckDB only: no predictions here.")
    data = rows(
        connection,
        f"select least(cast(floor(p_alive * {P_ALIVE_BINS}) as integer), {P_ALIVE_BINS - 1}) as bin,"
        " count(*) as customers from marts.customer_predictions where p_alive is not null group by 1 order by 1",
    )
    if not data:
        return Chart("p-alive", title, definition, relation, None, "The models could not be fitted on this shop.")
    counts = {row["bin"]: row["customers"] for row in data}
    figure = go.Figure(
        go.Bar(
            x=[(index + 0.5) / P_ALIVE_BINS for index in range(P_ALIVE_BINS)],
            y=[counts.get(index, 0) for index in range(P_ALIVE_BINS)],
            width=1 / P_ALIVE_BINS,
            name="purchasers",
        )
    )
    return Chart(
        "p-alive", title, definition, relation, layout(figure, xaxis_title="P(alive)", yaxis_title="purchasers")
    )


def holdout(connection: duckdb.DuckDBPyConnection) -> Chart:
    title, relation = "Holdout check: predicted and actual purchases", "clv_model_holdout"
    definition = (
        "Mean purchases in the holdout days per calibration frequency, as happened, as BG/NBD predicted"
        " (fitted before them) and as a naive rate would."
    )
    if not has_relation(connection, "metrics.clv_model_holdout"):
        return Chart("holdout", title, definition, relation, None, "Built on DuckDB only: no holdout check here.")
    data = rows(
        connection,
        "select frequency_bucket, actual_mean_purchases, predicted_mean_purchases, naive_mean_purchases"
        " from metrics.clv_model_holdout where frequency_bucket <> 'all'"
        " order by case when frequency_bucket = '7+' then 7 else cast(frequency_bucket as integer) end",
    )
    figure = go.Figure()
    buckets = [row["frequency_bucket"] for row in data]
    for column, name in [
        ("actual_mean_purchases", "actual"),
        ("predicted_mean_purchases", "BG/NBD"),
        ("naive_mean_purchases", "naive"),
    ]:
        figure.add_scatter(
            x=buckets,
            y=[number(row[column]) for row in data],
            name=name,
            mode="lines+markers",
        )
    return Chart(
        "holdout",
        title,
        definition,
        relation,
        layout(figure, xaxis_title="repeat purchases before the holdout", yaxis_title="mean purchases"),
    )


CHARTS: list[Callable[[duckdb.DuckDBPyConnection], Chart]] = [
    revenue_and_aov,
    churn_and_retention,
    cohort_heatmap,
    cumulative_revenue_by_cohort,
    clv_by_channel,
    nps_trend,
    csat_and_ces,
    p_alive_distribution,
    holdout,
]

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
section { margin-bottom: 2.5rem; }
p.definition { color: #555; margin: 0.2rem 0 0.6rem; }
p.note { font-style: italic; }
"""


def render(charts: list[Chart], database_name: str) -> str:
    """The report's HTML: plotly.js inlined once, then each chart's section."""
    sections = []
    for chart in charts:
        link = DOCS_PAGE.format(relation=chart.relation)
        body = (
            chart.figure.to_html(
                full_html=False, include_plotlyjs=False, div_id=chart.key, config={"displaylogo": False}
            )
            if chart.figure is not None
            else f'<p class="note">{html.escape(chart.note)}</p>'
        )
        sections.append(
            f'<section class="chart" data-chart="{chart.key}" data-relation="{chart.relation}">'
            f"<h2>{html.escape(chart.title)}</h2>"
            f'<p class="definition">{html.escape(chart.definition)} '
            f'<a href="{link}">{html.escape(chart.relation)} in the docs</a></p>{body}</section>'
        )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Customer value report</title>"
        f"<style>{STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
        f"<h1>Customer value report</h1><p>From the relations of <code>{html.escape(database_name)}</code>"
        " (metrics.* and marts.*). Every figure is defined in the docs site linked beside it.</p>"
        + "".join(sections)
        + "</body></html>\n"
    )


def write_report(database: Path, out: Path) -> Path:
    """Write the report of DATABASE (a built DuckDB file) to OUT."""
    if not database.is_file():
        raise SystemExit(f"No database at {database}: run `make build` first (or set DBT_DUCKDB_PATH).")
    with duckdb.connect(str(database), read_only=True) as connection:
        charts = [chart(connection) for chart in CHARTS]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(charts, database.name), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=Path("customer_value.duckdb"), help="a built DuckDB file")
    parser.add_argument("--out", type=Path, default=Path("target/report.html"), help="the HTML file to write")
    arguments = parser.parse_args(argv)
    print(f"wrote {write_report(arguments.database, arguments.out)}")


if __name__ == "__main__":
    main()
