"""``report site``: every page it writes links only to what it wrote, and each badge says the server's verdict."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.reports import read_json, write_site
from conformance.reports._site import gated_passed
from tests.conftest import REPO

ROWS = sorted((REPO / "reports" / "servers").glob("*/report.json"))
_LINK = re.compile(r'(?:href|src)="([^"#]*)(#[^"]*)?"')


def test_every_relative_link_of_the_site_resolves(tmp_path: Path) -> None:
    index = write_site(ROWS, tmp_path / "site")
    pages = sorted(index.parent.rglob("*.html"))
    assert len(pages) == len(ROWS) + 3  # a page per server, the index, the grid and the versions
    for page in pages:
        html = page.read_text()
        assert "http://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", html).split("<body>", 1)[0]
        for target, anchor in _LINK.findall(html):
            if not target:
                continue
            assert not target.startswith(("http://", "https://", "//")), f"{page.name} links out: {target}"
            linked = (page.parent / target).resolve()
            assert linked.exists(), f"{page.relative_to(index.parent)} links to {target}, which was not written"
            if anchor:
                assert f'id="{anchor[1:]}"' in linked.read_text(), f"{page.name}: {target}{anchor} has no such anchor"


def test_a_badge_says_passed_over_gated_selected_in_the_verdicts_colour(tmp_path: Path) -> None:
    index = write_site(ROWS, tmp_path / "site")
    for path in ROWS:
        report = read_json(path)
        svg = ET.parse(index.parent / "badges" / f"{path.parent.name}.svg").getroot()
        texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        passed, selected, words = gated_passed(report)
        assert texts == ["LangGraph conformance", f"{passed}/{selected} {words}"]
        colours = [r.get("fill") for r in svg.iter("{http://www.w3.org/2000/svg}rect")]
        assert colours[1] == {"conformant": "#2e7d32", "nonconformant": "#c62828"}.get(report["summary"]["verdict"],
                                                                                        colours[1])  # fmt: skip
        assert f'href="servers/{path.parent.name}.html"' in index.read_text()
