"""The Export case file dialog's parts: what is asked for, the form, the result and progress.

The dialog itself is :class:`testimony_app.ui.casefile_dialog.CasefileDialog`.
"""
