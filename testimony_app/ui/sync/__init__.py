"""The Sync page's parts: the long-task row, the device trust dialog and the conflict view."""
