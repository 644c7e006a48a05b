"""The application's logic, shared by the CLI and the app: settings, the one
path that opens and refreshes an archive, live reload (``watch`` follows the
folders, ``changes`` scans and applies what changed), marks and filters, and
what an article looks like under a query."""
