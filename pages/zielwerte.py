"""Zielwerte (wird gerade aufgebaut)."""

import streamlit as st

st.title("Zielwerte")
st.info("Diese Seite wird gerade aufgebaut.")
