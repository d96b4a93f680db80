"""Playwright helpers for the browser tests: Debian's Chromium, never a downloaded browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from changemaker.core.management.commands.load_demo import DEMO_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_problems(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page, as readable lines."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        f"{v['impact']}: {v['id']} – {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def reflow_problems(page: Any) -> list[str]:
    """What breaks reflow (WCAG 1.4.10) at the page's width: the page scrolling sideways, or a
    table squeezed below its words (a word in a cell broken across lines, one letter a line)."""
    return list(
        page.evaluate(
            """() => {
      const found = [];
      const wide = document.documentElement.scrollWidth, width = window.innerWidth;
      if (wide > width) found.push(`scrolls sideways (${wide}px wide at ${width}px)`);
      for (const cell of document.querySelectorAll("th, td")) {
        const word = cell.innerText.trim();
        // one word: a break at a space, a slash or a dash is a line like any other
        if (word.length < 2 || word.length > 30 || /[\\s\\/\\u2010-\\u2014-]/.test(word)) continue;
        const tops = [];
        const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let text = walk.nextNode(); text; text = walk.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(text);
          for (const box of range.getClientRects()) tops.push(box.top);
        }
        if (tops.length && Math.max(...tops) - Math.min(...tops) > 10)
          found.push(`"${word}" is broken across lines in a table`);
      }
      return found;
    }"""
        )
    )


def press(control: Any) -> None:
    """Click a button or link and wait until the page it leads to has loaded: the click returns
    once the navigation has started, and ``page.content()`` read in between can be the empty
    document of the navigation (a failure seen in CI)."""
    control.click()
    control.page.wait_for_load_state("load")


def submit(page: Any, button: str = "main button[type=submit]") -> None:
    """Press the (last) submit button and wait until the page it leads to has loaded."""
    press(page.locator(button).last)


def sign_in(page: Any, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in; for roles that need two factors, with the code of their authenticator (the demo
    staff's published key, or one set up with ``enrol``)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from changemaker.core.tests.factories import totp_code

    page.goto(f"{base}/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    submit(page)
    if "/sign-in/security-code/" in page.url:
        page.fill("#id_code", totp_code(TOTPDevice.objects.get(user__email=email)))
        submit(page)
    page.wait_for_url(f"{base}/account/")


def enrol(page: Any) -> list[str]:
    """On the two-factor set-up page: read the key as a person would type it into their app,
    enter the app's code, and return the recovery codes shown."""
    from base64 import b32decode

    from django_otp.oath import totp

    key = page.locator(".cm-secret").inner_text().replace(" ", "")
    key += "=" * (-len(key) % 8)
    page.fill("#id_code", f"{totp(b32decode(key)):06d}")
    submit(page)
    return [c.strip() for c in page.locator(".cm-recovery-codes code").all_inner_texts()]


def start_voting(page: Any, base: str, slug: str) -> None:
    """Answer the eligibility questions of a budget, as an Exampleton resident."""
    page.goto(f"{base}/budgets/{slug}/vote/")
    page.fill("#id_postcode", "EX1 1AA")
    page.fill("#id_born", "01/01/1990")
    submit(page)
