"""Every knob of the crawler, each with a line saying what it is for.

`scrapy crawl` reads this module through scrapy.cfg; the `naver-news` command starts from
it too and overrides only what its options say. Defaults are polite to Naver: the
benchmarks lift the limits explicitly, for a loopback server only.
"""
import os

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "naver-news"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# `scrapy crawl` refuses bad input in one line, as `naver-news` does (crawler/commands/crawl.py).
COMMANDS_MODULE = "crawler.commands"

# --- Where articles go ---------------------------------------------------------------
# The Markdown folder; relative paths are taken from the working directory.
OUTPUT_DIR = os.environ.get("NAVER_NEWS_OUT", "output")
# Path of each file under OUTPUT_DIR: {year} {month} {day} (publication date, KST), {id} {oid} {aid}.
MARKDOWN_PATH_TEMPLATE = "{year}/{month}/{day}/{id}.md"
# Append `modified_at` to the front matter after content_hash (off: the contract's eleven keys).
MARKDOWN_WRITE_MODIFIED_AT = False

# --- Incremental state ({OUTPUT_DIR}/.naver-news/state.sqlite) --------------------------
# A known article is fetched again only while it is fresh: published less than
# REFRESH_WINDOW ago and last fetched more than RECHECK_INTERVAL ago (90s, 30m, 6h, 3d).
REFRESH_WINDOW = "3d"
RECHECK_INTERVAL = "6h"
# A gone article is retried after GONE_RETRY_INTERVAL, doubling per miss, at most GONE_RETRY_MAX.
GONE_RETRY_INTERVAL = "6h"
GONE_RETRY_MAX = "30d"
# Write a second file when another id is the same article (same content, title, byline,
# date; off: record an alias, which gets its own file the moment its twin is edited).
KEEP_DUPLICATES = False
# State changes per SQLite transaction (batched: one commit per article would dominate a run),
# and the longest a change waits for its commit: what a killed run can lose of its records.
STATE_COMMIT_EVERY = 200
STATE_COMMIT_SECONDS = 1.0

# --- Web archive ({OUTPUT_DIR}/.naver-news/warc/) -------------------------------------
# Keep every response as it arrived, in WARC files (gzip per record): `reparse` re-reads
# them with today's rules, and `--mirror warc:PATH` replays them offline. (Its helper
# process also reads the article pages: off, the crawl reads them on its own core.)
WARC_ENABLED = True
# A WARC file is closed and a new one started past this size.
WARC_MAX_BYTES = 1024 ** 3

# --- Many machines: a shared frontier on Redis (crawler/frontier) ----------------------
# Set to crawl with workers: `naver-news crawl --redis URL` (this machine plans, writes the
# files, state and archive) and `naver-news worker --redis URL` on any number of machines
# (they fetch and extract). Redis 6.2 or newer, reachable only by your own machines. Given
# per run only (no environment default), so a diagnosis or a reparse never waits for workers.
REDIS_URL = ""
REDIS_PARAMS = {"socket_timeout": 30, "socket_connect_timeout": 10, "retry_on_timeout": True}
# A worker not heard of for this long is taken for dead: what it held goes back to the queue.
FRONTIER_WORKER_TIMEOUT = 10.0
# Requests per second across every worker of the Redis (0: none; each keeps its own pace too).
FRONTIER_MAX_RPS = 0.0
# Workers take no new request while this many answers wait for the archive side.
FRONTIER_MAX_BACKLOG = 500
# Set by the worker spider: no folder, no state; answers go to the archive side.
NAVER_NEWS_WORKER = False
ADDONS = {"crawler.frontier.addon.SharedFrontier": 0}

# --- Discovery ------------------------------------------------------------------------
# Longest date range a press/section crawl takes without --yes (days).
MAX_DATE_RANGE_DAYS = 31
# The sequence walk stops after this many consecutive missing aids.
SEQUENCE_MAX_MISSES = 20

# --- Extraction health ----------------------------------------------------------------
# A run is unhealthy (exit code 4, a report of what broke) when more than this share of
# article pages failed extraction, and at least this many did.
HEALTH_MAX_FAILED_RATIO = 0.10
HEALTH_MIN_FAILED_PAGES = 3
# Raw HTML of failed pages kept under {OUTPUT_DIR}/.naver-news/failed/: how many, how large.
FAILED_PAGES_KEEP = 100
FAILED_PAGE_MAX_BYTES = 2 * 1024 * 1024

# --- Where requests go ---------------------------------------------------------------
# Serve every Naver request from this base URL instead (the offline demo and the tests).
NAVER_MIRROR = os.environ.get("NAVER_NEWS_MIRROR", "")

# --- Politeness ----------------------------------------------------------------------
# Say who we are; override with --user-agent or USER_AGENT.
USER_AGENT = "naver-news/0.1 (news archive crawler; Scrapy)"
# Naver's robots.txt disallows its article pages to generic bots, so obeying it would
# fetch nothing; the pace below is how this crawler stays polite. Set True to obey.
ROBOTSTXT_OBEY = False
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
# AutoThrottle slows down when Naver answers slowly, and never goes faster than the above.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Retry floods (429), server errors and timeouts; waits for Retry-After (see RetryAfterMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# The longest Retry-After we wait for; a longer one ends that request as failed.
RETRY_AFTER_MAX = 600
DOWNLOAD_TIMEOUT = 30

# Article and list pages need no cookies: without them every request is the same for
# everyone (and tldextract stays unimported). Add CookiesMiddleware back to use them.
COOKIES_ENABLED = False
DOWNLOADER_MIDDLEWARES_BASE = {path: order for path, order in _scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE.items()
                               if not path.endswith(".CookiesMiddleware")}
# NAVER_MIRROR: Naver requests are downloaded from the mirror, answers come back under their
# Naver URLs (and redirect targets), so everything before and after the download sees Naver's.
DOWNLOAD_HANDLERS = {"http": "crawler.middlewares.mirror.MirrorDownloadHandler",
                     "https": "crawler.middlewares.mirror.MirrorDownloadHandler"}
DOWNLOADER_MIDDLEWARES = {
    # `--mirror warc:PATH`: every answer from the archive instead, the network never touched.
    "crawler.archive.replay.ReplayMiddleware": 640,
    # Every response, as it arrived (under its Naver URL), before redirects are followed.
    "crawler.archive.recording.WarcMiddleware": 620,
    # A redirect off Naver is not followed: the article fails, naming the target.
    "crawler.middlewares.offsite_redirect.OffsiteRedirectMiddleware": 610,
    # Before RetryMiddleware (550) sees the response, so the wait is set before the retry.
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # A worker's share of FRONTIER_MAX_RPS, once a request is known to be sent (Offsite: 50).
    "crawler.frontier.rate.SharedRateLimit": 60,
    # Scrapy's meta-refresh redirects, without decoding a whole page for its first 4 KB.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.meta_refresh.HeadMetaRefreshMiddleware": 580,
}

# --- Processing ----------------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.evidence.EvidencePipeline": 50,
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.fingerprint.FingerprintPipeline": 200,
    "pipelines.state.StatePipeline": 300,
    "pipelines.markdown.MarkdownExportPipeline": 800,
}
# Skip known articles before they are requested; then take start requests only as fast as
# they are sent (40: after the skip, so a skipped article makes no one wait).
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.known.KnownArticlesMiddleware": 50,
    "crawler.middlewares.lazy_start.LazyStartMiddleware": 40,
}
# One item per page: more parallel items only adds per-response scheduling cost.
CONCURRENT_ITEMS = 1
# Scrapy reads each callback's source for a generator's `return value`, per response (its
# cache misses on bound methods): 6% of a crawl's CPU, for a mistake the tests would catch.
WARN_ON_GENERATOR_RETURN_VALUE = False

# Scrapy's remote control and telnet consoles listen on local ports: a scheduled crawler
# needs neither. They are left out of the base list rather than set to None, because
# Scrapy imports every listed component, disabled or not: aiohttp and twisted.conch cost
# ~100 ms at each start, which is most of what a run that finds nothing new costs.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
EXTENSIONS_BASE = {path: order for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if not path.endswith((".TelnetConsole", ".RemoteControl"))}
EXTENSIONS = {
    # Before the state's, so the health report is ready when the run is recorded.
    "crawler.running.summary.RunSummary": -10,
    # Opens the folder's state and lock before any middleware or pipeline needs it.
    "pipelines.state.StateExtension": 0,
    "crawler.running.progress.Progress": 500,
    # Log records below LOG_LEVEL are never built (Scrapy builds them and drops them at its handler).
    "crawler.running.log_level.RootLogLevel": 0,
    "crawler.running.heap_trim.HeapTrim": 0,
}
# Seconds between handing freed page buffers back to the system (glibc only; 0: never).
HEAP_TRIM_INTERVAL = 1.0
# A live progress line on a terminal, else a plain line every PROGRESS_INTERVAL seconds
# (the naver-news command turns it on; scrapy crawl has LogStats instead).
PROGRESS_ENABLED = False
PROGRESS_INTERVAL = 30.0
# Set by `naver-news schedule` for the job a run belongs to (recorded in the state).
NAVER_NEWS_JOB = ""
# Set by the reparse spider: files it writes are reported as `reparsed`.
NAVER_NEWS_REPARSE = False

# --- Scrapy housekeeping -------------------------------------------------------------
# Cache pages with HTTPCACHE_ENABLED=True while developing extraction (off in production).
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
