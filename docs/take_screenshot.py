"""Take docs/screenshot.png: the Pietarsaari strategy overview of a running Suunta.

Run ``make run`` (which loads the demo data) in one terminal, then:

    .venv/bin/python docs/take_screenshot.py [BASE_URL]

It logs in as the demo strategy owner and photographs the top of the
overview in Debian's headless Chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

SLUG = "pietarsaari-kulttuuri-ja-vapaa-aika-2022-2027"
OUTPUT = Path(__file__).resolve().parent / "screenshot.png"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(base_url: str = "http://127.0.0.1:8000") -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium-headless-shell", args=ARGS)
        context = browser.new_context(
            base_url=base_url, locale="fi-FI", viewport={"width": 1280, "height": 900}, device_scale_factor=1
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.locator("input[name='username']").fill("owner")
        page.locator("input[name='password']").fill("suunta-demo")
        with page.expect_navigation():
            page.locator("form:has(input[name='password']) [type='submit']").click()
        page.goto(f"/strategies/{SLUG}/")
        page.screenshot(path=str(OUTPUT))
        browser.close()
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
