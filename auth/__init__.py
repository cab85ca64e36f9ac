"""Sign-in, roles and unit scoping and the audit trail (no Streamlit)."""
