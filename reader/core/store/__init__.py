"""What persists between runs: the archive cache, the reading state and the
atomic, locked writes both rely on."""
