"""Running the stages: pipeline, per-seed work in worker processes, the cache, progress, serve."""
