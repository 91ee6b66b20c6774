"""Open data: the programme's funded projects as files anyone may download (OC4IDS, GeoJSON, CSV), their
data dictionary, and the nightly snapshots the worker builds so the big files are served from storage."""
