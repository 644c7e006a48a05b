"""The Textual user interface. Offsets from the core become styles only here."""
