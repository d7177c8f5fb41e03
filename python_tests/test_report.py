"""The report and the single-file docs, opened in a real browser: Debian's chromium, driven
by Playwright (its own browser download cannot work here). Each page must open from disk
without a console error or a request outside the file; every chart of the report must have
drawn the marks its relation implies (counted here from the database, not from the report);
the docs must show the models. Screenshots go to target/browser_tests/ of the project.

On the demo data, built by the test into its own database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from python_tests.dbt_helpers import PROJECT_DIR, Build, run_dbt

CHROMIUM = shutil.which("chromium")
SCREENSHOTS = PROJECT_DIR / "target" / "browser_tests"

pytestmark = pytest.mark.skipif(
    os.environ.get("CV_TEST_TARGET") in ("postgres", "spark"), reason="the report reads a DuckDB build"
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Build:
    work = tmp_path_factory.mktemp("report")
    build = run_dbt(work, None)
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_page(browser: Any, page_file: Path) -> tuple[Any, list[str]]:
    """PAGE_FILE opened in a new page; the list collects console errors, uncaught exceptions
    and every request for anything but the file itself."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed request: {request.url}"))
    own = page_file.resolve().as_uri()
    page.on("request", lambda request: None if request.url.split("#")[0] == own else problems.append(request.url))
    page.goto(own)
    return page, problems


def run_module(module: str, *arguments: str) -> None:
    """python -m MODULE ARGUMENTS from the project folder; it must succeed."""
    result = subprocess.run(
        [sys.executable, "-m", module, *arguments], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def scalar(database: Path, sql: str) -> Any:
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute(sql).fetchone()
    assert row is not None
    return row[0]


# What each chart must have drawn, counted from the database: (chart, traces, marks, sql of
# the mark count). Marks: the bars, points or cells of the chart's data.
EXPECTED_MARKS = [
    ("revenue-aov", 2, "bars", "select count(*) from metrics.sales_monthly"),
    ("churn-retention", 2, "points", "select 2 * count(*) from metrics.retention_monthly"),
    ("cohort-retention", 1, "cells", "select count(*) from metrics.cohort_retention"),
    ("cumulative-revenue", None, "points", "select count(*) from metrics.cohort_retention"),
    (
        "clv-channel",
        3,
        "bars",
        "select 2 * count(*) from metrics.clv_summary where segment_type = 'acquisition_channel'",
    ),
    ("nps", 2, "points", "select 3 * count(*) from metrics.nps_monthly where responses > 0"),
    (
        "csat-ces",
        2,
        "points",
        "select (select count(*) from metrics.csat_monthly where responses > 0)"
        " + (select count(*) from metrics.ces_monthly where responses > 0)",
    ),
    ("p-alive", 1, "bars", "select 20"),
    ("holdout", 3, "points", "select 3 * count(*) from metrics.clv_model_holdout where frequency_bucket <> 'all'"),
]
# Marks per chart as the browser sees them: non-null heatmap cells, bar elements drawn, and
# the points of every trace's data (the NPS band has each month twice).
COUNT_MARKS = """(key) => {
    const plot = document.getElementById(key);
    const heat = plot.data.filter(t => t.type === 'heatmap');
    return {
        traces: plot.data.length,
        cells: heat.length ? heat[0].z.flat().filter(v => v !== null).length : 0,
        heatmap_images: plot.querySelectorAll('.heatmaplayer image').length,
        bars: plot.querySelectorAll('.barlayer .point').length,
        points: plot.data.filter(t => t.type === 'scatter').reduce((n, t) => n + t.x.length, 0),
        drawn_traces: plot.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length,
    };
}"""


@needs_chromium
def test_the_report_draws_every_chart_without_errors(demo: Build, browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run_module("customer_value.report", "--database", str(demo.database), "--out", str(out))
    page, problems = open_page(browser, out)
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length === {len(EXPECTED_MARKS)}")
    for key, traces, kind, sql in EXPECTED_MARKS:
        marks = page.evaluate(COUNT_MARKS, key)
        expected = scalar(demo.database, sql)
        assert expected > 0, key
        assert marks[kind] == expected, (key, kind, marks, expected)
        if traces is not None:
            assert marks["traces"] == traces, (key, marks)
        assert marks["drawn_traces"] + marks["heatmap_images"] >= marks["traces"], (key, marks)
    cohorts = scalar(demo.database, "select count(distinct cohort_month) from metrics.cohort_retention")
    assert page.evaluate(COUNT_MARKS, "cumulative-revenue")["traces"] == cohorts
    # Every chart states its definition and links to its relation's docs page.
    sections = page.locator("section.chart")
    assert sections.count() == len(EXPECTED_MARKS)
    for index in range(sections.count()):
        section = sections.nth(index)
        relation = section.get_attribute("data-relation")
        assert section.locator("p.definition").inner_text().strip()
        href = section.locator("p.definition a").get_attribute("href")
        assert href == f"static_index.html#!/model/model.customer_value.{relation}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
    assert problems == []


@needs_chromium
def test_the_static_docs_open_from_disk_and_show_the_models(demo: Build, browser: Any) -> None:
    target = demo.database.parent / "docs"
    env = os.environ | {"DBT_DUCKDB_PATH": str(demo.database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("DBT_PROFILES_DIR", None)
    generate = [
        str(Path(sys.executable).parent / "dbt"),
        "docs",
        "generate",
        "--static",
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
    ]
    result = subprocess.run(generate, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    page_file = target / "static_index.html"
    run_module("customer_value.docs_static", str(page_file))
    page, problems = open_page(browser, page_file)
    page.goto(page_file.resolve().as_uri() + "#!/model/model.customer_value.sales_monthly")
    page.get_by_text("Public relation metrics.sales_monthly").first.wait_for()
    # The project tree shows every folder of models and the opened folder's models.
    navigation = page.locator("body").inner_text().replace("\n", "")
    for name in ["staging", "intermediate", "marts", "metrics", "semantic", "audit", "retention_by_segment"]:
        assert name in navigation, name
    page.goto(page_file.resolve().as_uri() + "#!/model/model.customer_value.customer_periods")
    page.get_by_text("Relation semantic.customer_periods").first.wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "docs.png"))
    assert problems == []


def test_the_report_without_a_database_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "customer_value.report", "--database", str(tmp_path / "missing.duckdb")],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"No database at {tmp_path / 'missing.duckdb'}: run `make build` first" in result.stderr
    assert not (tmp_path / "missing.duckdb").exists()
