"""Reading what Naver serves: article pages, list pages, one body-text reader for all of them."""
