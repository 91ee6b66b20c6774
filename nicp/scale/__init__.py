"""Proof at scale: the large generated dataset (`seed_scale`) and the one benchmark of every list, detail,
export and sweep (`benchmark`). Above every app by nature, like the demo: it builds and reads them all."""
