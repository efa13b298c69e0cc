"""Scrapy commands of this project (COMMANDS_MODULE): `scrapy crawl` with naver-news's manners."""
