"""Cross-document stages: the only state shared between documents.

Each stage is a map over shards that writes small fixed-width partial results
(hashes in numpy arrays) and a reduce that merges them, partitioned by hash, so
the answer is the same whatever the number of shards or workers.
"""
