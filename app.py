"""carebench workbench (Streamlit): placeholder page until the app issue lands."""

import streamlit as st

st.set_page_config(page_title="carebench", layout="wide")
st.title("carebench")
st.write("QA audit and planner what-ifs for social customer care. Use the `carebench` CLI for now.")
