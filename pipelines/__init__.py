"""Item pipelines, in the order an article goes through them: normalize → fingerprint → markdown."""
