"""The desktop interface: the only package that imports PySide6.

Pages never touch a vault's database: the vault is opened, read and closed on one worker
thread (see ``workers``), and pages receive plain values (``session.VaultSummary``).
"""
