"""The dashboard's pages: each file is a Streamlit page script whose ``render()`` draws it."""
