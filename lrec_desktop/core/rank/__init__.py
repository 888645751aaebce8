"""Ranking learned per shop: candidate sources, features per (customer, candidate), and a LambdaRank model
trained on the shop's own latest purchases (core/rank/train.py)."""
