"""Case files: signed PDFs for prosecutors, the ICRC and advocates (see docs/casefile.md).

``selection`` picks the interviews, ``gather`` reads their records, ``redaction`` and ``build``
turn them into an immutable, redacted view (``model``) under a profile and the consent given,
``render`` draws that view with reportlab, and ``signing`` makes and checks the detached
signature. ``services.casefile`` ties them together. Nothing here imports Qt.
"""
