"""Text from files is shown as text in a real browser: no link, image or HTML a crafted file could slip in.

Streamlit renders its message boxes as Markdown. A site's name, a cell or a scenario's name comes from a file
someone else may have written (an exchange file from another organisation); written as Markdown it could place
a disguised link or an image that calls a server into the app. ``planner.ui.show`` escapes it.
"""

from __future__ import annotations

import pytest
from test_browser import _go, _wait_idle, browser, server  # noqa: F401  (fixtures)

from planner.i18n import t

#: Browser tests run on one pytest-xdist worker, one after another (each drives Chromium and a server).
pytestmark = pytest.mark.xdist_group("browser")

CRAFTED = ("[Inloggen](https://evil.example/login) ![pixel](http://127.0.0.1:9/pixel.png) <b>vet</b> $x^2$ "
           "www.evil.example helpdesk@evil.example")


def test_a_crafted_name_shows_as_text_in_the_error_box(server, browser, tmp_path):  # noqa: F811
    sites = tmp_path / "plannen.csv"
    sites.write_text(f"naam;sector;bvo\n{CRAFTED};kapsalon;5000\n", encoding="utf-8")
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server, wait_until="domcontentloaded", timeout=90_000)
    _wait_idle(page)
    _go(page, t("page_sites", "nl"))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(sites))
    _wait_idle(page)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="kapsalon").first
    alert.wait_for(timeout=60_000)
    # The name reads as typed (a zero-width space keeps addresses from becoming links), and nothing in the box is
    # a link, an image, bold HTML or rendered maths.
    shown = alert.inner_text().replace("\u200b", "")
    assert "[Inloggen](https://evil.example/login)" in shown and "![pixel](http://127.0.0.1:9/pixel.png)" in shown
    assert "<b>vet</b> $x^2$ www.evil.example helpdesk@evil.example" in shown
    assert alert.locator("a").count() == 0
    assert alert.locator("img").count() == 0 and alert.locator("b").count() == 0
    assert alert.locator(".katex").count() == 0
    assert not [url for url in requested if "127.0.0.1:9/" in url]
    page.close()
