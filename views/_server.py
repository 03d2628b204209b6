"""Server plumbing for serve.py (pure ASGI: no Streamlit calls, nothing per session).

Streamlit's page does not know where the app's root is, so on opening a page's own address
(/cycle) it asks /cycle/_stcore/health and /cycle/_stcore/host-config first — both 404 — and
then the parent's, which answer (streamlit/streamlit#7074). Every deep link therefore logged
two failed requests. Streamlit reads the root from `window.__streamlit.BACKEND_BASE_URL` when a
host sets it; `PageBaseUrl` sets it in the HTML of the app's own page addresses, so the first
health check is the one that answers. Any other address is left to Streamlit's own search.
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


class PageBaseUrl:
    """ASGI middleware: the app's HTML, for "/" and each page path, tells Streamlit's page
    where the app's root is (see the module's docstring)."""

    def __init__(self, app: ASGIApp, pages: Iterable[str]) -> None:
        self.app = app
        self.pages = sorted(set(pages))
        self.script = _SCRIPT.format(pages=json.dumps(self.pages)).encode()

    def _is_page(self, path: str) -> bool:
        last = path.rstrip("/").rsplit("/", 1)[-1]
        return last == "" or last in self.pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope.get("method") != "GET"
                or not self._is_page(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return
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
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(html)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": html, "more_body": False})

        await self.app(scope, receive, edit)
