"""Downloader middlewares: transport concerns kept out of the spiders."""
