"""Standortvergleich (wird gerade aufgebaut)."""

import streamlit as st

st.title("Standortvergleich")
st.info("Diese Seite wird gerade aufgebaut.")
