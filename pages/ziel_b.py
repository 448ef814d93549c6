"""Ziel b – Kompetenzen (wird gerade aufgebaut)."""

import streamlit as st

st.title("Ziel b – Kompetenzen")
st.info("Diese Seite wird gerade aufgebaut.")
