"""Testimony: offline, encrypted documentation of testimonies of people freed from captivity."""

__version__ = "0.1.0"
