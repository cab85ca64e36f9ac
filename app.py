"""Entrypoint: `streamlit run app.py` draws the frame (pages/ui/frame.py) and runs the chosen page.

The navigation (st.navigation with st.Page: ASCII url paths, Chinese titles) and the shared sidebar
are declared in pages/ui/frame.py, because a page file started on its own must build the very same
frame (PITFALLS P1).
"""

from __future__ import annotations

from pages.ui import frame

frame.run()
