"""Spiders: requests in, Article items out."""
