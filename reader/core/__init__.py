"""The textual-free core: articles, analysis, search and entities.

Nothing in this package may import textual or rich; ``tests/test_layering.py``
checks it in a clean subprocess.
"""
