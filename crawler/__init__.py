"""naver-news: the Scrapy project that crawls Naver News articles into Markdown files."""
