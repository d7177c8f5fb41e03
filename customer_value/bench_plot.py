"""The benchmark's plot: seconds against orders, one line per measure and data shape, on
log-log axes (time that grows linearly with the data is a line of slope 1, drawn as a guide
from the plain DuckDB script's smallest time). plotly, as the report (decision log D43);
plotly.js is written once beside the page, so that the page opens without a network and a
new run rewrites only the page."""

from __future__ import annotations

from pathlib import Path

import plotly.express as px
import plotly.graph_objects as go

# What each line shows: its name and how to read its seconds from one size's result.
MEASURES = {
    "dbt build": lambda result: result["build"].seconds,
    "dbt run": lambda result: result["run"].seconds,
    "plain DuckDB script (floor)": lambda result: result["reference"].seconds,
    # None (a gap) where pandas was not run: the orders do not fit in memory.
    "pandas (3 relations)": lambda result: result["pandas"].seconds if result["pandas"] else None,
    # A gap where the incremental build failed (the report says why).
    "incremental dbt build after a day": lambda result: (
        None if result["incremental_build"].failure else result["incremental_build"].seconds
    ),
    "predictive branch (dbt threads 2)": lambda result: result["branch_elapsed"],
}

COLOURS = px.colors.qualitative.Plotly


def figure(results: list[dict[str, object]]) -> go.Figure:
    """One trace per measure and data shape (skewed dashed), x the orders, y the seconds."""
    shown = go.Figure()
    shapes = sorted({str(result["shape"]) for result in results}, key=lambda shape: shape != "typical")
    for shape in shapes:
        rows = sorted((r for r in results if r["shape"] == shape), key=lambda r: r["orders"])  # type: ignore[arg-type, return-value]
        # A measure keeps its colour in every shape.
        for (name, seconds), colour in zip(MEASURES.items(), COLOURS, strict=False):
            shown.add_trace(
                go.Scatter(
                    x=[row["orders"] for row in rows],
                    y=[seconds(row) for row in rows],
                    name=name if shape == "typical" else f"{name}, {shape}",
                    mode="lines+markers",
                    line={"dash": "solid" if shape == "typical" else "dash", "color": colour},
                )
            )
    smallest = min(results, key=lambda result: result["orders"])  # type: ignore[arg-type, return-value]
    largest = max(int(result["orders"]) for result in results)  # type: ignore[call-overload]
    floor = MEASURES["plain DuckDB script (floor)"](smallest)
    start = int(smallest["orders"])  # type: ignore[call-overload]
    shown.add_trace(
        go.Scatter(
            x=[start, largest],
            y=[floor, floor * largest / start],
            name="linear in the orders (from the floor's smallest time)",
            mode="lines",
            line={"dash": "dot", "color": "grey"},
        )
    )
    shown.update_layout(
        title="Time against size (make bench; bench/results.md has the numbers)",
        xaxis={"title": "orders", "type": "log"},
        yaxis={"title": "seconds", "type": "log"},
        legend={"orientation": "v"},
    )
    return shown


def write(results: list[dict[str, object]], path: Path) -> Path:
    """The plot as PATH (HTML), with plotly.min.js beside it."""
    figure(results).write_html(path, include_plotlyjs="directory", full_html=True, config={"displaylogo": False})
    return path
