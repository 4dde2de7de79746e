"""Editing scenarios in tables and running solves off the page thread, without Streamlit (the app calls these)."""
