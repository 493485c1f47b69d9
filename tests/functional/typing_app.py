"""The real app (``app.main``) driven like a person at the keyboard, for tests that kill it.

Unlocks the remembered vault, starts an interview and types bursts into the narrative and a
sighting. Each time the status bar shows "Saved" it prints ``SAVED <json>`` with the text that
was on screen at that moment, then types on. The test kills it with SIGKILL after a chosen
checkpoint, while it is still typing.

Environment: TESTIMONY_CONFIG_DIR / TESTIMONY_DATA_DIR (the test's), TEST_PASSPHRASE.
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from testimony_app import app
from testimony_app.ui.main_window import MainWindow

BURSTS = [
    ("Нас тримали в підвалі. ", "Сашко з Маріуполя", "Скажіть мамі, що живий. "),
    ("Потім повезли в колонію, там били щодня. ", "", "Він просив передати: тримайтеся. "),
    ("Третій шматок тексту, його вбивають посеред друку. " * 4, "", ""),
]


def key_clicks(widget, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, char))
        QApplication.processEvents()


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            print("TIMEOUT", flush=True)
            os._exit(3)
        QTest.qWait(5)


def scenario(window: MainWindow) -> None:
    window.unlock_page.passphrase.setText(os.environ["TEST_PASSPHRASE"])
    window.unlock_page.unlock()
    wait_until(lambda: window.workspace is not None)
    window.workspace.new_interview()
    wait_until(lambda: window.workspace.interviews.editor is not None)
    editor = window.workspace.interviews.editor
    sightings = editor.section("sightings")
    QTest.mouseClick(sightings.add_button, Qt.MouseButton.LeftButton)
    name = sightings.form.fields["name_as_heard"].editor
    message = sightings.form.fields["message_for_family"].editor
    narrative = editor.section("narrative").narrative
    for number, (story, heard, said) in enumerate(BURSTS, start=1):
        editor.section("narrative")
        key_clicks(narrative, story)
        editor.section("sightings")
        key_clicks(name, heard)
        key_clicks(message, said)
        if number == len(BURSTS):
            break  # the test kills us while this last burst is pending
        wait_until(lambda: window.status.save_label.text() == "Saved")
        shown = {"narrative": narrative.toPlainText(), "name": name.text(),
                 "message": message.toPlainText()}
        print("SAVED", json.dumps(shown, ensure_ascii=True), flush=True)
    print("TYPED", flush=True)
    wait_until(lambda: False, timeout=60)


class Driven(QApplication):
    def exec(self) -> int:  # noqa: A003 - Qt's name
        windows = [w for w in self.topLevelWidgets() if isinstance(w, MainWindow)]
        scenario(windows[0])
        return 0


if __name__ == "__main__":
    app.QApplication = Driven
    sys.exit(app.main(["testimony-app"]))
