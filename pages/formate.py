"""Formate (wird gerade aufgebaut)."""

import streamlit as st

st.title("Formate")
st.info("Diese Seite wird gerade aufgebaut.")
