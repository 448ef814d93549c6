"""Datenqualität (wird gerade aufgebaut)."""

import streamlit as st

st.title("Datenqualität")
st.info("Diese Seite wird gerade aufgebaut.")
