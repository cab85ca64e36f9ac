"""Entrypoint: `streamlit run app.py`. The pages are declared here, literally (file, Chinese title,
ASCII url path); pages/ui/frame.py draws the frame around the one st.navigation chooses, and says
which pages the signed-in account sees. A page file started on its own (docs/pitfalls.md P1)
executes this file, so it gets the very same frame.
"""

from __future__ import annotations

import streamlit as st

from pages.ui import frame
from pages.ui.labels import SECTIONS, TITLES

frame.configure()
see = frame.visibility
chosen = st.navigation(
    {
        SECTIONS["cockpit"]: [
            st.Page(
                frame.page("pages/overview.py"),
                title=TITLES["overview"],
                url_path="",
                default=True,
                visibility=see("overview"),
            ),
            st.Page(
                frame.page("pages/overview.py"),
                title=TITLES["overview"],
                url_path="overview",
                visibility="hidden",
            ),
            st.Page(
                frame.page("pages/unit.py"),
                title=TITLES["unit"],
                url_path="unit",
                visibility=see("unit"),
            ),
        ],
        SECTIONS["topics"]: [
            st.Page(
                frame.page("pages/satisfaction.py"),
                title=TITLES["satisfaction"],
                url_path="satisfaction",
                visibility=see("satisfaction"),
            ),
            st.Page(
                frame.page("pages/complaints.py"),
                title=TITLES["complaints"],
                url_path="complaints",
                visibility=see("complaints"),
            ),
            st.Page(
                frame.page("pages/rectification.py"),
                title=TITLES["rectification"],
                url_path="rectification",
                visibility=see("rectification"),
            ),
            st.Page(
                frame.page("pages/report_burden.py"),
                title=TITLES["report_burden"],
                url_path="report_burden",
                visibility=see("report_burden"),
            ),
            st.Page(
                frame.page("pages/survey.py"),
                title=TITLES["survey"],
                url_path="survey",
                visibility=see("survey"),
            ),
            st.Page(
                frame.page("pages/keywords.py"),
                title=TITLES["keywords"],
                url_path="keywords",
                visibility=see("keywords"),
            ),
            st.Page(
                frame.page("pages/assessment.py"),
                title=TITLES["assessment"],
                url_path="assessment",
                visibility=see("assessment"),
            ),
            st.Page(
                frame.page("pages/routing.py"),
                title=TITLES["routing"],
                url_path="routing",
                visibility=see("routing"),
            ),
        ],
        SECTIONS["data"]: [
            st.Page(
                frame.page("pages/upload.py", needs_data=False),
                title=TITLES["upload"],
                url_path="upload",
                visibility=see("upload"),
            ),
            st.Page(
                frame.page("pages/review.py"),
                title=TITLES["review"],
                url_path="review",
                visibility=see("review"),
            ),
            st.Page(
                frame.page("pages/admin.py", needs_data=False),
                title=TITLES["admin"],
                url_path="admin",
                visibility=see("admin"),
            ),
        ],
    },
    position=frame.position(),
    expanded=True,  # an admin has 13 pages: folded after 10, 数据导入 and 账号与审计 would hide
)
frame.run(chosen)
