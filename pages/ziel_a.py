"""Ziel a – Kontakte (wird gerade aufgebaut)."""

import streamlit as st

st.title("Ziel a – Kontakte")
st.info("Diese Seite wird gerade aufgebaut.")
