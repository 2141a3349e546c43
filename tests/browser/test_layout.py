"""Every page of every role fits a phone (390 px) and the gangway tablet (768 px).

Each role logs in and walks every page its menu offers, tapping the menu as a person would, on a
ship whose rows hold long unbroken texts (tests/browser/layout_data.py). Nothing may scroll the page
sideways, every button and field is at least 44 px high, and on a phone the menu is folded until
tapped. The pages come from the menu itself, so a page added to it later is walked too.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENS
from tests.browser.layout_data import ROLES, seed_layout_data
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

MIN_TAP = 44  # px: WCAG 2.5.5 and Apple's guideline; gloves at the gangway need no less

# Elements that stick out past the right edge of the page, outside any box that scrolls them.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const inScrollBox = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const over = [...document.body.querySelectorAll("*")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5 && !inScrollBox(el);
  });
  const innermost = over.filter((el) => ![...el.children].some((c) => over.includes(c)));
  return {scroll: document.documentElement.scrollWidth, width,
          offenders: innermost.slice(0, 5).map((el) =>
            `${window.describe(el)} reaches ${Math.round(el.getBoundingClientRect().right)} px`)};
}"""

# Buttons, fields, menu entries and boxes with their labels lower than MIN_TAP (inline links in
# sentences are exempt: only links styled as buttons count).
SMALL_TARGETS_JS = """(least) => {
  const targets = document.querySelectorAll(
    "header nav a, button, .btn, summary, select, textarea, input:not([type=hidden])");
  const small = [];
  for (const el of targets) {
    const box = /^(checkbox|radio)$/.test(el.type) ? (el.closest("label") || el) : el;
    const rect = box.getBoundingClientRect();
    const shown = el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true});
    if (!shown || rect.width <= 1 || rect.height >= least - 0.5) continue;
    small.push(`${window.describe(box)} is ${Math.round(rect.height)} px high`);
  }
  return small;
}"""

# Table cells squeezed so narrow that a word stands one letter a line (a layout rule of one page
# fighting another's): a cell with a word of 4+ letters whose box is under two ems wide.
SQUEEZED_JS = """() => {
  const squeezed = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    const word = Math.max(0, ...(cell.innerText || "").split(/\\s+/).map((w) => w.length));
    if (word < 4 || !cell.checkVisibility()) continue;
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (inner < 2 * parseFloat(style.fontSize)) {
      squeezed.push(`${window.describe(cell)} is squeezed to ${Math.round(inner)} px`);
    }
  }
  return squeezed.slice(0, 5);
}"""

DESCRIBE_JS = """() => { window.describe = (el) => {
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    [...e.classList].map((c) => "." + c).join("");
  const path = [];
  for (let e = el; e && e !== document.body && path.length < 4; e = e.parentElement) {
    path.unshift(name(e));
  }
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  const shown = text.slice(0, 40);
  return path.join(" > ") + (shown ? ` "${shown}"` : "");
}; }"""


@pytest.fixture
def ship(live_server):
    """The live server with a user per role and rows on every page."""
    seed_layout_data(live_server.app)
    return live_server


def log_in(page: Page, base_url: str, role: str) -> None:
    """Log in through the form and land where the role lands."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(role)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def settle(page: Page) -> None:
    """Wait for what the page fetches right after loading (the SSO's refusal banner): htmx marks
    an element with `htmx-request` while its request is out. Not "networkidle", which waits half
    a second after the last request on every page (a minute of the CI run over the walk)."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def layout_problems(page: Page) -> list[str]:
    """Return what makes this page scroll sideways or too small to tap, naming the element."""
    page.evaluate(DESCRIBE_JS)
    where = page.url
    fit = page.evaluate(OVERFLOW_JS)
    problems = []
    if fit["scroll"] > fit["width"]:
        problems.append(
            f"{where}: the page scrolls sideways ({fit['scroll']} px wide at {fit['width']} px): "
            + "; ".join(fit["offenders"])
        )
    problems += [f"{where}: {small}" for small in page.evaluate(SMALL_TARGETS_JS, MIN_TAP)]
    problems += [f"{where}: {cell}" for cell in page.evaluate(SQUEEZED_JS)]
    return problems


def open_menu(page: Page, screen: str) -> None:
    """Tap Menu if it is folded; on a phone it must be, and it opens into full-width entries."""
    toggle = page.locator("#nav-menu summary")
    panel = page.locator("#nav-menu .nav-panel")  # the links, and who is logged in
    if screen == "phone":
        expect(toggle, f"{page.url}: the menu button").to_be_visible()
        expect(panel, f"{page.url}: the menu is folded before a tap").to_be_hidden()
    if panel.is_hidden():
        toggle.click()
    expect(panel, f"{page.url}: the menu opens on a tap").to_be_visible()
    expect(page.locator("#level-band")).to_be_in_viewport()
    if screen == "phone":
        width = page.viewport_size["width"]
        for link in panel.get_by_role("link").all():
            box = link.bounding_box()
            assert box["width"] >= 0.9 * width, (
                f"{page.url}: menu entry {link.inner_text()!r} is {box['width']:.0f} px wide, "
                f"not the screen's {width} px"
            )


@pytest.mark.parametrize("screen", ["phone", "tablet"], indirect=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_the_menu_fits_the_screen(page: Page, ship, role, screen):
    log_in(page, ship.url, role)
    settle(page)
    problems = layout_problems(page)
    if role == "watch":  # the tablet asks where it stands before anything else
        expect(page.get_by_role("heading", name="Where is this tablet?")).to_be_visible()
        page.locator("button[name=access_point][value=MAIN-GW]").click()
        settle(page)
        problems += layout_problems(page)

    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    open_menu(page, screen)
    expect(page.get_by_text(f"Test {role} ({role})")).to_be_visible()
    problems += layout_problems(page)  # the open menu: its entries, and the page under it
    labels = [a.inner_text().strip() for a in page.locator("#nav-menu nav a").all()]
    assert role == "admin" or labels, f"{page.url}: the {role}'s menu has no page in it"
    if screen == "phone":
        page.locator("#nav-menu summary").click()
        expect(page.locator("#nav-menu .nav-panel"), "a second tap folds it").to_be_hidden()

    nav = page.get_by_role("navigation", name="Main")
    for label in labels:
        open_menu(page, screen)
        nav.get_by_role("link", name=label, exact=True).click()
        expect(
            page.locator("#nav-menu a[aria-current=page]"), f"the menu entry {label!r} leads to it"
        ).to_have_text(label)
        settle(page)
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        problems += layout_problems(page)

    problems = list(dict.fromkeys(problems))  # the landing page may be in the menu too
    assert not problems, f"{role} at {SCREENS[screen]['viewport']}:\n" + "\n".join(problems)
