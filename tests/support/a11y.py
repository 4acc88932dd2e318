"""axe-core (from npm, node_modules/) run in the distribution's Chromium on the live pages."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA, as axe tags them; best practices aside.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 4).map(n => n.target.join(" "))}));
}"""


def with_axe(context: BrowserContext) -> BrowserContext:
    """Every page of `context` gets axe before its own scripts (an init script: the page's
    Content-Security-Policy does not apply to it)."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `npm ci` (make test does)")
    context.add_init_script(path=str(AXE))
    return context


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page as it stands, one line each."""
    # After a click the new DOM can be there before its stylesheet: judge the page as laid out.
    page.wait_for_load_state("load")
    found = page.evaluate(_RUN, TAGS)
    return [f"{page.url}: {v['id']} ({v['impact']}) {v['help']} at {v['targets']}"
            for v in found if v["impact"] in BLOCKING]
