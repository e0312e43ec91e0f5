"""The browser harness itself: its axe and CSP checks must be able to fail."""

from __future__ import annotations

import pytest


def test_axe_reports_serious_violations(browsing):
    browsing.goto("/users/login")
    # An image without alternative text and a form field without a label: both "critical".
    browsing.page.evaluate(
        """() => {
            const main = document.querySelector("main");
            const img = document.createElement("img");
            img.src = "/static/none.png";
            main.appendChild(img);
            const input = document.createElement("input");
            input.type = "text";
            main.appendChild(input);
        }"""
    )
    with pytest.raises(AssertionError, match=r"image-alt.*|label"):
        browsing.check()


def test_an_inline_script_is_refused_and_reported(browsing):
    page = browsing.page
    browsing.goto("/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
                const s = document.createElement("script");
                s.textContent = "window.ranInline = true";
                document.body.appendChild(s);
            }"""
        )
    assert page.evaluate("() => window.ranInline === true") is False
    assert any("Content Security Policy" in line for line in browsing.problems.csp)
    browsing.problems.csp.clear()  # seen and expected: the test passes
