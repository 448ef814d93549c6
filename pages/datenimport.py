"""Datenimport (wird gerade aufgebaut)."""

import streamlit as st

st.title("Datenimport")
st.info("Diese Seite wird gerade aufgebaut.")
