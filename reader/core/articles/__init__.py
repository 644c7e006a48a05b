"""Articles: finding (the folder walk), reading safely, decoding, front
matter, metadata, parsing, loading, sanitising.

Everything that turns a file on disk into a sanitised :class:`Article` (or a
:class:`Problem` naming the file) lives here; nothing here knows about
entities, search or the reading state.
"""
