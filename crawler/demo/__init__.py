"""The offline demo site: realistic Naver pages served from 127.0.0.1 (also the tests' fixtures)."""
