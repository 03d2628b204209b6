"""The dashboard's server: `streamlit run serve.py` (what `make run` and the browser tests use).

It serves app.py exactly as `streamlit run app.py` does, with one addition: the page tells
Streamlit where the app's root is, so opening a page's own address (/cycle) no longer makes
two requests that fail with 404 first (views/_server.py). `streamlit run app.py` still works.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from views._server import PageBaseUrl, page_paths

APP = Path(__file__).resolve().parent / "app.py"

app = st.App(APP, middleware=[Middleware(PageBaseUrl, pages=page_paths(APP))])
