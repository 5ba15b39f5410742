"""The console in a real headless Chromium against a live emulator with seeded data.

Each test saves a screenshot of its page in the screenshot directory (see ``conftest.py``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from console_seed import COUNT, EMPTY_LOGSTORE, GROUP, HOSTILE, LOGSTORE, PROJECT, Seeded

from aliyun.log import GetHistogramsRequest, LogException
from aliyun.log.emulator import EmulatorServer

expect: Any
try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail under CI) before any test body runs
    expect = None

SEARCH = f"#/project/{PROJECT}/logstore/{LOGSTORE}/search"


@pytest.fixture
def live(console_server: tuple[EmulatorServer, Seeded]) -> EmulatorServer:
    return console_server[0]


@pytest.fixture
def seeded(console_server: tuple[EmulatorServer, Seeded]) -> Seeded:
    return console_server[1]


def open_page(page: Any, server: EmulatorServer, fragment: str) -> None:
    """Open a console route and wait until it has rendered (main.js marks <body data-ready>)."""
    page.goto(f"{server.console_url}{fragment}")
    expect(page.locator("body")).to_have_attribute("data-ready", fragment)


def search_fragment(seeded: Seeded, query: str, **extra: Any) -> str:
    params = {"query": query, "range": "abs", "from": seeded.start, "to": seeded.end, **extra}
    return f"{SEARCH}?{urlencode(params, quote_via=quote)}"


def shot(page: Any, directory: Path, name: str) -> None:
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)
    assert (directory / f"{name}.png").stat().st_size > 0


def test_projects_page(page: Any, live: EmulatorServer, screenshot_dir: Path) -> None:
    open_page(page, live, "#/")
    expect(page.locator("#projects")).to_contain_text(PROJECT)
    shot(page, screenshot_dir, "projects")
    page.locator("#projects a", has_text=PROJECT).click()
    expect(page.locator("#logstores")).to_contain_text(LOGSTORE)
    expect(page.locator("#logstores tbody tr")).to_have_count(2)
    shot(page, screenshot_dir, "logstores")


def test_logstore_page_shows_shards_ttl_and_index(page: Any, live: EmulatorServer, screenshot_dir: Path) -> None:
    open_page(page, live, f"#/project/{PROJECT}/logstore/{LOGSTORE}")
    expect(page.locator("#ttl")).to_have_text("30 day(s)")
    expect(page.locator("#shards tbody tr")).to_have_count(2)
    expect(page.locator("#shards tbody tr").nth(1)).to_contain_text("ffffffffffffffffffffffffffffffff")
    expect(page.locator("#index tbody tr")).to_have_count(6)  # full text + 5 keys
    shot(page, screenshot_dir, "logstore")


def test_a_logstore_without_index(page: Any, live: EmulatorServer) -> None:
    open_page(page, live, f"#/project/{PROJECT}/logstore/{EMPTY_LOGSTORE}")
    expect(page.locator("#index")).to_contain_text("No index")
    open_page(page, live, f"#/project/{PROJECT}/logstore/{EMPTY_LOGSTORE}/search")
    expect(page.locator("#error .error-code")).to_have_text("IndexConfigNotExist")
    open_page(page, live, f"#/project/{PROJECT}/logstore/{EMPTY_LOGSTORE}/consumers")
    expect(page.locator("#group-count")).to_have_text("0 group(s)")


def test_search_shows_count_rows_histogram_and_pages(
    page: Any, live: EmulatorServer, seeded: Seeded, screenshot_dir: Path
) -> None:
    open_page(page, live, search_fragment(seeded, "*"))
    expect(page.locator("#count")).to_have_text(str(COUNT))
    buckets = (
        live.client()
        .get_histograms(GetHistogramsRequest(PROJECT, LOGSTORE, seeded.start, seeded.end, "", "*"))
        .get_histograms()
    )
    assert len(buckets) == 60  # 600 s in 10 s buckets
    expect(page.locator("#histogram g.bucket")).to_have_count(len(buckets))
    counts = [int(c) for c in page.locator("#histogram g.bucket").evaluate_all("gs => gs.map(g => g.dataset.count)")]
    assert counts == [b.get_count() for b in buckets]
    rows = page.locator("#logs li.log")
    expect(rows).to_have_count(20)
    expect(rows.first.locator(".log-summary")).to_contain_text("<script>")  # the newest log first
    expect(rows.nth(1).locator(".log-summary")).to_contain_text(f"request {COUNT - 2} served")
    expect(page.locator("#page")).to_have_text("page 1 of 3")
    shot(page, screenshot_dir, "search")
    page.locator("#next").click()
    expect(page.locator("#page")).to_have_text("page 2 of 3")
    expect(rows.first.locator(".log-summary")).to_contain_text(f"request {COUNT - 21} served")
    page.locator("#next").click()
    expect(page.locator("#page")).to_have_text("page 3 of 3")
    expect(rows).to_have_count(COUNT - 40)
    expect(page.locator("#next")).to_be_disabled()


def test_fields_expand_and_a_hostile_value_is_text(
    page: Any, live: EmulatorServer, seeded: Seeded, screenshot_dir: Path
) -> None:
    open_page(page, live, search_fragment(seeded, "level:ERROR"))
    newest = page.locator("#logs li.log").first
    expect(newest.locator("table.fields")).to_be_hidden()
    newest.locator(".log-head").click()
    expect(newest.locator("table.fields")).to_be_visible()
    keys = newest.locator(".field-key").all_text_contents()
    assert keys[:5] == ["level", "path", "status", "latency_ms", "msg"]
    assert {"__topic__", "__source__"} <= set(keys)
    value = newest.locator("tr", has=page.locator(".field-key", has_text="msg")).locator(".field-value")
    expect(value).to_have_text(HOSTILE)
    assert page.locator("#logs script, #logs img").count() == 0
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    shot(page, screenshot_dir, "search-expanded")


def test_clicking_a_bar_zooms_to_its_bucket(page: Any, live: EmulatorServer, seeded: Seeded) -> None:
    open_page(page, live, search_fragment(seeded, "*"))
    bar = page.locator('#histogram g.bucket:not([data-count="0"])').first
    start, end, count = (bar.get_attribute(a) for a in ("data-from", "data-to", "data-count"))
    bar.click()
    expect(page.locator("body")).to_have_attribute("data-ready", re.compile(f"range=abs&from={start}&to={end}&page=1$"))
    expect(page.locator("#count")).to_have_text(str(count))
    expect(page.locator("#logs li.log")).to_have_count(int(count or 0))


def test_relative_range_and_search_syntax_from_the_form(page: Any, live: EmulatorServer, seeded: Seeded) -> None:
    open_page(page, live, SEARCH)
    page.locator("#query").fill("level:ERROR and status:500")
    page.locator("#range").select_option("1h")  # the seeded logs are 11 to 21 minutes old
    page.locator("#run").click()
    expect(page.locator("#count")).to_have_text(str(seeded.level_count("ERROR")))
    for summary in page.locator("#logs .log-summary").all_text_contents():
        assert "level=ERROR" in summary


def test_sql_group_by_renders_a_bar_chart_and_table(
    page: Any, live: EmulatorServer, seeded: Seeded, screenshot_dir: Path
) -> None:
    query = "* | select level, count(*) as n, avg(latency_ms) as avg_latency group by level order by n desc"
    open_page(page, live, search_fragment(seeded, query))
    expect(page.locator("#sql-chart")).to_have_attribute("data-kind", "bar")
    expect(page.locator("#sql-chart rect.bar")).to_have_count(3 * 2)  # 3 levels x 2 numeric columns
    expect(page.locator("#sql-table tbody tr")).to_have_count(3)
    expect(page.locator("#sql-table thead th")).to_have_text(["level", "n", "avg_latency"])
    shot(page, screenshot_dir, "sql-bar")


def test_sql_time_series_renders_a_line_chart(
    page: Any, live: EmulatorServer, seeded: Seeded, screenshot_dir: Path
) -> None:
    query = "* | select __time__ - __time__ % 60 as t, count(*) as n group by t order by t"
    open_page(page, live, search_fragment(seeded, query))
    expect(page.locator("#sql-chart")).to_have_attribute("data-kind", "line")
    rows = page.locator("#sql-table tbody tr").count()
    assert rows == 10  # ten whole minutes in the window
    expect(page.locator("#sql-chart circle.point")).to_have_count(rows)
    shot(page, screenshot_dir, "sql-line")


def test_invalid_query_shows_the_sls_error(
    page: Any, live: EmulatorServer, seeded: Seeded, screenshot_dir: Path
) -> None:
    bad = "* | select count(* from"
    with pytest.raises(LogException) as raised:
        live.client().get_log(PROJECT, LOGSTORE, seeded.start, seeded.end, query=bad)
    open_page(page, live, search_fragment(seeded, bad))
    expect(page.locator("#error .error-code")).to_have_text(raised.value.get_error_code())
    expect(page.locator("#error .error-message")).to_have_text(raised.value.get_error_message())
    expect(page.locator("#error .error-request")).to_contain_text("request id")
    shot(page, screenshot_dir, "search-error")


def test_missing_project_shows_the_sls_error(page: Any, live: EmulatorServer) -> None:
    open_page(page, live, "#/project/no-such-project")
    expect(page.locator("#error .error-code")).to_have_text("ProjectNotExist")


def test_consumer_groups_page(page: Any, live: EmulatorServer, screenshot_dir: Path) -> None:
    open_page(page, live, f"#/project/{PROJECT}/logstore/{LOGSTORE}/consumers")
    group = page.locator(f'section.group[data-group="{GROUP}"]')
    expect(group.locator("table.members tbody tr")).to_have_text(["consumer-a0, 1"])
    checkpoints = group.locator("table.checkpoints tbody tr")
    expect(checkpoints).to_have_count(2)
    expect(checkpoints.nth(0).locator("td").last).to_have_text("1 log group(s), 0 s behind")
    expect(checkpoints.nth(1).locator("td").last).to_have_text("caught up")
    shot(page, screenshot_dir, "consumers")
