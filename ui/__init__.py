"""Streamlit-side helpers shared by ``dashboard.py`` and the pages: navigation, caching, formatting.

Only this package (and ``dashboard.py`` / ``pages/``) imports streamlit; ``monitor`` and
``indikatoren`` stay free of it so the CLI, the report and the tests run without a UI.
"""
