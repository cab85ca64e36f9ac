"""Sign-in, roles and unit scoping, masking of personal data and the audit trail (no Streamlit)."""
