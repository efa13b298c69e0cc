"""Imported first by every benchmark: `bench/incremental.py` shares its name with the
`incremental` package Twisted imports, and a script's own folder comes first on
sys.path, so bench/ is moved to the end of it before Scrapy is imported (the benchmarks'
shared `loopback` module is still found there)."""
import sys
from pathlib import Path

HERE = Path(__file__).parent.resolve()
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE] + [str(HERE)]
