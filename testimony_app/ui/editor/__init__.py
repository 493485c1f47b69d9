"""The interview editor: one section per module, sharing an ``EditorContext``."""
