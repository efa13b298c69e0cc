"""The shared frontier: one archive, any number of workers, one Redis between them.

    archive side (`crawl --redis`)                         workers (`worker --redis`)
    plans, skips what is known, writes       Redis         fetch and extract
    seeds ──────────────────────────────▶  queue  ──────▶  take (leased)
    pipelines ◀── found links, items ◀───  answers ◀─────  deliver (one per request)

The archive side runs the job's spider with scrapy-redis's scheduler: its requests go to
the shared queue, never to its own downloader (`scheduler.SeedingScheduler`). A worker
runs the `worker` spider, which serves whatever run is announced: it takes requests from
the queue, each held under a lease (`queue.LeasedQueue`), reads the answer with the job
spider's own callback, and delivers one answer per request, leased to the end: the items,
the requests the callback yielded, the WARC records and the stats it counted
(`delivery.Delivery`). The archive side applies answers through its own spider
middlewares and pipelines (`intake.IntakeMiddleware`), so the known-article skip, the
state, the files and the web archive are those of a local crawl, and a found link is
checked against the state before any worker fetches it. A worker that stops answering
loses nothing: what it held goes back to the queue, and what it delivers late is dropped.
"""
