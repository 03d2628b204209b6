"""Text from a link is shown as text: a URL value echoed in a note never renders as markdown (a
link, an image the browser would fetch, emphasis) inside the app's own boxes."""

from __future__ import annotations

import pytest

from tests.conftest import plain, run_page, texts
from views._shared import as_text

pytestmark = pytest.mark.usefixtures("page_db")
PAYLOAD = ("**Your session has expired.** [Sign in again](http://127.0.0.1:8799/phish) "
           "![](http://127.0.0.1:8799/px.png)")
LINKS = [("la_profile.py", "la"), ("national.py", "area"), ("failing.py", "basis"),
         ("neighbours.py", "la"), ("cycle.py", "fw"), ("data_sources.py", "quarantine"),
         ("national.py", "as_at"), ("local_area.py", "la"), ("local_area.py", "vintage"),
         ("send_providers.py", "type"), ("send_providers.py", "la"),
         ("reports.py", "framework"), ("reports.py", "from"), ("reports.py", "theme")]


@pytest.mark.parametrize(("page", "param"), LINKS)
def test_a_hostile_link_value_is_shown_as_typed(page: str, param: str) -> None:
    at = run_page(page, 120, **{param: PAYLOAD})
    shown = "\n".join(texts(kind) for kind in (at.info, at.warning, at.error, at.markdown,
                                                at.caption, at.success))
    # nothing of the link's markdown is live anywhere on the page; the reader sees what the link
    # said, escaped
    assert "127.0.0.1:8799" not in shown and "**Your" not in shown
    assert as_text(PAYLOAD) in shown
    assert PAYLOAD in plain(shown)


def test_as_text_leaves_nothing_live_and_reads_as_typed() -> None:
    special = set("*_`[]()!<>:#|~$/.-+=\\{}\"'@")
    for raw in ("*a*", "_a_", "`a`", "[a](b)", "![a](b)", "<b>", ":red[a]", "# a", "> a",
                "a | b", "~~a~~", "$a$", "http://x.y/z", "www.x.org", "a@b.org", "1. a", "- a"):
        shown = as_text(raw)
        live = [ch for i, ch in enumerate(shown) if ch in special and ch != "\\"
                and (i == 0 or shown[i - 1] != "\\")]
        assert live == [], (raw, shown)
        assert "://" not in shown.replace("\\", "") and "www." not in shown.replace("\\", "")
        assert plain(shown) == raw
    assert plain(as_text("a\nb\n\n# c")) == "a b # c"
    assert plain(as_text("x" * 300)) == "x" * 200 + "…"
