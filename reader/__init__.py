"""reader: a keyboard-driven terminal reader for folders of articles."""

__version__ = "0.1.0"
