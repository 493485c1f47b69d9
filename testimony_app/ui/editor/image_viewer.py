"""An image attachment, decrypted in memory and shown in the app (never a temp file)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from testimony_app.i18n import _
from testimony_app.ui.widgets import muted_label


class ImageViewer(QDialog):
    def __init__(self, data: bytes, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Attachment"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(820, 620)
        image = QImage.fromData(data)
        self.valid = not image.isNull()
        self._pixmap = QPixmap.fromImage(image) if self.valid else QPixmap()
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setTextFormat(Qt.TextFormat.PlainText)
        if not self.valid:
            self.picture.setText(_("This file cannot be shown as an image."))
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.picture)
        column = QVBoxLayout(self)
        column.addWidget(area, 1)
        column.addWidget(muted_label(caption))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self._fit()

    def _fit(self) -> None:
        if self.valid:
            size = self.picture.size() if self.picture.width() > 50 else self.size() * 0.9
            self.picture.setPixmap(self._pixmap.scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def image_size(self) -> tuple[int, int]:
        return self._pixmap.width(), self._pixmap.height()
