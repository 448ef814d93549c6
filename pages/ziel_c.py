"""Ziel c – Partizipation (wird gerade aufgebaut)."""

import streamlit as st

st.title("Ziel c – Partizipation")
st.info("Diese Seite wird gerade aufgebaut.")
