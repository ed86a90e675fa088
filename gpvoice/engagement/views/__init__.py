"""Engagement pages: consultations, bulletins and the engagement view (thin views)."""
