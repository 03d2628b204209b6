"""Server plumbing for serve.py (pure ASGI: no Streamlit calls, nothing per session).

`PageHtml` adds two things to the HTML of the app's own page addresses:

- where the app's root is. Streamlit's page does not know, so on opening a page's own address
  (/cycle) it asks /cycle/_stcore/health and /cycle/_stcore/host-config first — both 404 —
  and then the parent's, which answer (streamlit/streamlit#7074): every deep link logged two
  failed requests. Streamlit reads the root from `window.__streamlit.BACKEND_BASE_URL` when a
  host sets it, so the first health check is the one that answers. Any other address is left
  to Streamlit's own search.
- plotly.js, loaded at once on a page that opens with a chart. Streamlit asks for its 4.7 MB
  plotly chunk only when the first chart arrives from the server, then downloads and runs it
  before drawing anything; started with the page, that work overlaps the wait for the
  server's first run (benchmarks/bench_cold_start.py).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Runs before Streamlit's own script (a module, so deferred): when the address ends in one of
# the app's page paths, the root is the address without it — also under a proxy's prefix.
_SCRIPT = """<script>(function(){{var pages={pages};
var path=location.pathname.replace(/\\/+$/,"");var last=path.split("/").pop();
if(path!==""&&pages.indexOf(last)<0)return;
if(path!=="")path=path.slice(0,path.length-last.length);
window.__streamlit=Object.assign({{}},window.__streamlit,
{{BACKEND_BASE_URL:location.origin+path.replace(/\\/*$/,"/")}});}})();</script>"""


def page_paths(app_py: Path) -> list[str]:
    """The url_path of every st.Page in app.py, read from its source (importing it would run
    the dashboard)."""
    tree = ast.parse(app_py.read_text(encoding="utf-8"))
    return [kw.value.value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
            for kw in node.keywords
            if kw.arg == "url_path" and isinstance(kw.value, ast.Constant)]


def plotly_chunk() -> str | None:
    """Streamlit's plotly chunk as the page asks for it ("./static/js/PlotlyChart.<hash>.js"),
    or None when this Streamlit has none (the page then loads it as before)."""
    import streamlit

    found = sorted((Path(streamlit.__file__).parent / "static" / "static" / "js")
                   .glob("PlotlyChart.*.js"))
    return f"./static/js/{found[0].name}" if found else None


class PageHtml:
    """ASGI middleware: the app's HTML, for "/" and each page path, tells Streamlit's page where
    the app's root is and, on a page that opens with a chart, starts plotly.js at once (see the
    module's docstring)."""

    def __init__(self, app: ASGIApp, pages: Iterable[str], early: Iterable[str] = (),
                 without_charts: Iterable[str] = ()) -> None:
        self.app = app
        self.pages = sorted(set(pages))
        self.script = _SCRIPT.format(pages=json.dumps(self.pages)).encode()
        # module scripts run in order after the document: these follow Streamlit's own bundle
        # fetched and compiled from the start; run once the page has started its connection to
        # the server (a task later), so it runs while the server runs the page's script
        self.early = "".join(
            f'<link rel="modulepreload" crossorigin href="{url}">'
            f'<script type="module">setTimeout(() => import({json.dumps(url)}), 0)</script>'
            for url in early).encode()
        self.without_charts = set(without_charts)

    def _page(self, path: str) -> str | None:
        """The page path ("" for the root) of an app page address, else None."""
        last = path.rstrip("/").rsplit("/", 1)[-1]
        return last if last == "" or last in self.pages else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = self._page(scope.get("path", ""))
        if scope["type"] != "http" or scope.get("method") != "GET" or page is None:
            await self.app(scope, receive, send)
            return
        early = b"" if page in self.without_charts else self.early
        # the HTML is small: asked for uncompressed, it can be edited on its way out
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope.get("headers", [])
                            if k.lower() != b"accept-encoding"]
        start: Message | None = None
        body: list[bytes] = []

        async def edit(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = None
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            html = b"".join(body)
            if b"<head>" in html:
                html = html.replace(b"<head>", b"<head>" + self.script, 1)
            if early and b"</head>" in html:
                html = html.replace(b"</head>", early + b"</head>", 1)
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(html)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": html, "more_body": False})

        await self.app(scope, receive, edit)
