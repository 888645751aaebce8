"""Candidate sources: each scores every product for a batch of customers; the best of each become candidates."""
