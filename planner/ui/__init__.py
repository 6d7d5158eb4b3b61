"""Streamlit pages. Each page reads widgets, calls planner functions, shows results."""
