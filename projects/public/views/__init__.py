"""Public pages: the listing and map (listing.py), a project (detail.py), the statistics (statistics.py)."""
