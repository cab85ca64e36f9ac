"""单位画像 in a real browser: a unit's 画像 link in the 满意度 league table opens its profile, and the
profiles of a station, a 分局 and an office render (screenshots in $MINYI_SCREENSHOTS)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pages.ui import labels, labels_minjing
from pages.ui import labels_unit as L
from tests.test_browser import (  # noqa: F401 - fixtures used by name
    assert_page_ok,
    database,
    page,
    screenshot,
    server,
    settle,
)

pytestmark = pytest.mark.playwright

HEADER_HEIGHT, ROW_HEIGHT = 35, 35


def _link_x(page, grid, row_y: float) -> float:
    """Where the link of a grid row is drawn: the grid is a canvas, so find the link colour."""
    box = grid.bounding_box()
    strip = page.screenshot(
        clip={"x": box["x"], "y": row_y - 8, "width": box["width"], "height": 16}
    )
    image = Image.open(io.BytesIO(strip)).convert("RGB")
    blue = [
        x
        for x in range(image.width)
        for y in range(image.height)
        if (rgb := image.getpixel((x, y)))[2] > rgb[0] + 60 and rgb[2] > 120
    ]
    assert blue, "no link drawn in the row"
    return box["x"] + (min(blue) + max(blue)) / 2


def test_a_unit_link_in_the_league_table_opens_its_profile(server, page):
    page.set_viewport_size({"width": 1400, "height": 5000})  # every grid drawn, none scrolled
    page.goto(f"{server}/satisfaction")
    settle(page)
    grid = (
        page.get_by_test_id("stDataFrame")
        .filter(has=page.locator("th", has_text=L.PROFILE_COLUMN))
        .first
    )
    grid.wait_for()
    # The grid's accessible table holds the values: the first row's unit and its link.
    name = grid.get_by_test_id("glide-cell-1-0").inner_text()
    link = grid.get_by_test_id("glide-cell-2-0").inner_text()
    assert link.startswith("unit?unit=")
    row_y = grid.bounding_box()["y"] + HEADER_HEIGHT + ROW_HEIGHT / 2
    x = _link_x(page, grid, row_y)
    with page.context.expect_page() as opened:
        page.mouse.move(x, row_y)
        page.mouse.click(x, row_y)
    profile = opened.value
    profile.wait_for_url(f"{server}/{link}")
    settle(profile)
    assert_page_ok(profile, labels.TITLES["unit"])
    assert profile.get_by_role("heading", name=name, level=2).is_visible()
    profile.close()


@pytest.mark.parametrize(
    ("unit", "name", "shot"),
    [
        ("P11", "东城分局东风派出所", "unit_station"),
        ("FJ1", "江城市公安局东城分局", "unit_branch"),
        ("JG1", "江城市公安局警务保障室", "unit_office"),
    ],
)
def test_profiles_of_a_station_a_branch_and_an_office_render(server, page, unit, name, shot):
    page.goto(f"{server}/unit?unit={unit}")
    settle(page)
    assert_page_ok(page, labels.TITLES["unit"])
    assert page.get_by_role("heading", name=name, level=2).is_visible()
    assert page.get_by_role("heading", name=labels_minjing.TITLE).is_visible()
    screenshot(page, shot)
    assert page.outside_requests == []
