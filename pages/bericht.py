"""Bericht (wird gerade aufgebaut)."""

import streamlit as st

st.title("Bericht")
st.info("Diese Seite wird gerade aufgebaut.")
