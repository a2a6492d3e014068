"""Waiting in the browser for work done elsewhere (a worker, the payments sandbox)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.worker import wait_for


def reload_until(page: Page, selector: str, what: str, timeout: float = 60) -> None:
    """Come back to the page now and then, as a learner waiting for something would."""

    def shown() -> bool:
        page.reload()
        return page.locator(selector).count() > 0

    wait_for(shown, timeout=timeout, what=what, every=0.5)
