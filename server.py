"""Production entry point: ``streamlit run server.py`` serves ``dashboard.py`` with the
server-side protections of :mod:`ui.webserver` (HttpOnly login cookie, downloads only with a
login, security headers, metrics closed). ``streamlit run dashboard.py`` still works, without
them (development, tests). Both serve the light questionnaire page (:mod:`ui.fragebogen_web`,
the same route list). See README, "Betrieb im Netz".
"""

import os

import streamlit as st
from starlette.middleware import Middleware

from ui import fragebogen_web, webserver

os.environ[webserver.SERVER_COOKIES] = "1"

app = st.App(
    "dashboard.py",
    routes=[*webserver.ROUTEN, *fragebogen_web.ROUTEN],
    middleware=[Middleware(webserver.Schutz), *fragebogen_web.MIDDLEWARE],
)
