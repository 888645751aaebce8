"""Campaigns with a control group: who got which products (record), and what they bought since (uplift)."""
