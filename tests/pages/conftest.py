"""Fixtures for the page tests: a database file of its own per test, caches cleared around it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from hilfen_echte_daten import EchteDaten, echte_datenbank

from monitor.benutzer import SCHNELLE_HASHES_VARIABLE
from monitor.db import verbinden
from monitor.demo import lade_demo


@pytest.fixture(autouse=True)
def leere_caches() -> Iterator[None]:
    """AppTest runs in this process: cached connections/results must not leak between tests."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()  # closes the cached connection (on_release)


@pytest.fixture
def db_datei(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database file for the dashboard under test (``MONITOR_DB``)."""
    pfad = tmp_path / "monitor.duckdb"
    monkeypatch.setenv("MONITOR_DB", str(pfad))
    return pfad


@pytest.fixture(scope="module")
def demo_datei(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo (6 sites, 1 500 persons, a small comparison group), once per module."""
    pfad = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with verbinden(pfad) as db:
        lade_demo(db)
    return pfad


@pytest.fixture
def demo_db(demo_datei: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The module's demo database as the dashboard's ``MONITOR_DB``."""
    monkeypatch.setenv("MONITOR_DB", str(demo_datei))
    return demo_datei


# -- logins ---------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def schnelle_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: a real hash and check, without 0.5 s per login."""
    monkeypatch.setenv(SCHNELLE_HASHES_VARIABLE, "1")


# -- real (non-demo) data -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def echte_daten(tmp_path_factory: pytest.TempPathFactory) -> EchteDaten:
    """A database with real data, built once per module (:mod:`hilfen_echte_daten`)."""
    return echte_datenbank(tmp_path_factory.mktemp("echt"))


@pytest.fixture
def echt_db(echte_daten: EchteDaten, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real database for this test (tests add users, logins, approvals)."""
    pfad = tmp_path / "monitor.duckdb"
    shutil.copy(echte_daten.pfad, pfad)
    monkeypatch.setenv("MONITOR_DB", str(pfad))
    return pfad
