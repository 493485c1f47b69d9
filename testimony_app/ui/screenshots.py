"""Render every screen, in each language, to PNG files (``make screenshots``).

    python -m testimony_app.ui.screenshots OUTDIR [--langs en,uk,ru] [--size 1000x700]

Builds a vault of clearly fictional testimonies in a temporary folder (with its own settings
folder, so the person's own preferences are untouched), opens each screen and saves
``widget.grab()``. Runs offscreen unless a display is set (Xvfb works too).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from testimony_app import config, i18n  # noqa: E402
from testimony_app.app import keep_qt_settings_off_disk  # noqa: E402
from testimony_app.crypto.kdf import Argon2Params  # noqa: E402
from testimony_app.domain.dates import PartialDate  # noqa: E402
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site  # noqa: E402
from testimony_app.domain.interview import CaptureEvent, Consent, Interview  # noqa: E402
from testimony_app.domain.person import (  # noqa: E402
    Actor,
    Involvement,
    Person,
    PersonName,
    PriorityFlag,
    StatusEntry,
)
from testimony_app.services import attachments  # noqa: E402
from testimony_app.ui import language  # noqa: E402
from testimony_app.ui.main_window import MainWindow  # noqa: E402
from testimony_app.ui.workers import Worker  # noqa: E402
from testimony_app.vault.vault import Vault  # noqa: E402

PASSPHRASE = "fictional screenshots only"  # noqa: S105 - a throwaway vault in a temp folder
SECTIONS = ("interview", "consent", "interviewee", "capture", "detention", "acts", "sightings",
            "perpetrators", "attachments", "narrative")
NARRATIVE = (
    "(Вигадана розповідь для навчання.) Мене затримали на блокпосту біля Тестового 14 травня "
    "2022 року. Два дні тримали в підвалі, потім автобусом повезли до СІЗО.\n\n"
    "У камері нас було дванадцятеро на чотири ліжка. Щоранку «прийомка» в коридорі. "
    "Саша з Маріуполя, позивний «Сокіл», казав, що його взяли в квітні.")


def _png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#c9d3dc"))
    painter = QPainter(image)
    painter.fillRect(width // 4, height // 4, width // 2, height // 2, QColor("#7a8896"))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def build_vault(folder: Path) -> None:
    """Three fictional testimonies with every kind of record."""
    vault = Vault.create(folder, PASSPHRASE, name="Навчальна команда (вигадані дані)",
                         kdf_params=Argon2Params.floor()).vault
    with vault.transaction() as s:
        sizo = s.add(Site(canonical_name="СІЗО-1 Тестове", site_type="sizo",
                          settlement="Тестове", region="Тестова обл.", country="RU"))
        colony = s.add(Site(canonical_name="Колонія №0 (вигадана)", site_type="penal_colony",
                            settlement="Умовне", country="RU"))
        basement = s.add(Site(canonical_name="Підвал на вул. Прикладній",
                              site_type="basement", settlement="Тестове"))
        people = [("Петренко", "Іван", "Миколайович", "Свідок 17"),
                  ("Коваль", "Олена", "Сергіївна", ""), ("Smith", "John", "", "")]
        made = []
        for n, (surname, given, patronymic, pseudonym) in enumerate(people):
            p = s.add(Person(
                surname=surname, given_name=given, patronymic=patronymic, sex="male",
                names=(PersonName(full=f"{surname} {given} {patronymic}".strip(),
                                  script="Cyrl" if n < 2 else "Latn", kind="as_given"),),
                birth_date=PartialDate.parse(f"~{1980 + n * 3}"), home_settlement="Ізюм",
                legal_category="pow" if n != 1 else "civilian_no_status", unit="00 ОМБр",
                rank="солдат", distinguishing_marks="шрам на лівій руці",
                status_history=(StatusEntry(status="released_exchange",
                                            as_of=PartialDate.parse("2024-02"),
                                            source="обмін"),),
                priority_flags=(PriorityFlag(category="seriously_wounded", basis="осколки"),)))
            i = s.add(Interview(
                reference=f"TR-2024-{n + 1:03d}", interviewee_id=p.id, pseudonym=pseudonym,
                interviewer="Оксана Т.", interpreter="" if n < 2 else "Ірина П.",
                start_at=f"2024-03-{14 + n:02d}T10:30", end_at=f"2024-03-{14 + n:02d}T12:45",
                place_generalised="Харківщина", mode="in_person", languages=("uk",),
                referrals_offered=("medical", "psychological"), narrative=NARRATIVE,
                interviewer_observations="Говорив спокійно; плакав, коли згадував побратимів.",
                status=("complete", "draft", "reviewed")[n], confidentiality="sensitive"))
            made.append((p, i))
            for scope, decision in (("interview", "granted"), ("audio_recording", "granted"),
                                    ("share_icc", "granted"), ("media", "refused")):
                s.add(Consent(interview_id=i.id, scope=scope, decision=decision,
                              method="written"))
            s.add(CaptureEvent(person_id=p.id, interview_id=i.id,
                               date=PartialDate.parse("14.05.2022"), place="блокпост біля Тестового",
                               circumstances="під час евакуації", capturing_unit="невідомо"))
            e1 = s.add(DetentionEpisode(person_id=p.id, interview_id=i.id, site_id=basement.id,
                                        arrival=PartialDate.parse("2022-05-14"),
                                        departure=PartialDate.parse("2022-05-16"),
                                        arrival_mode="capture"))
            e2 = s.add(DetentionEpisode(person_id=p.id, interview_id=i.id, site_id=sizo.id,
                                        unit_label="камера 12",
                                        arrival=PartialDate.parse("2022-05~"),
                                        departure=PartialDate.parse("2023-01"),
                                        arrival_mode="transfer", conditions=("overcrowding",),
                                        conditions_text="12 людей на 4 ліжка"))
            s.add(DetentionEpisode(person_id=p.id, interview_id=i.id, site_id=colony.id,
                                   arrival=PartialDate.parse("2023-01"),
                                   departure=PartialDate.parse("2024-02-07"),
                                   arrival_mode="transfer"))
            act = s.add(Act(interview_id=i.id, victim_id=p.id, episode_id=e2.id,
                            site_id=sizo.id, date=PartialDate.parse("2022-06"),
                            frequency="repeated", act_types=("torture",),
                            methods=("admission_beating", "falanga"),
                            injuries="зламані ребра (вигадано)"))
            s.add(Act(interview_id=i.id, victim_id=p.id, episode_id=e1.id,
                      site_id=basement.id, date=PartialDate.parse("2022-05-15"),
                      frequency="once", methods=("electric_shock",)))
            actor = s.add(Actor(interview_id=i.id, name="", call_signs=("Грім",),
                                unit="конвой", description="високий, у балаклаві"))
            s.add(Involvement(act_id=act.id, actor_id=actor.id, role="perpetrator_direct"))
            for heard, sign, when in (("Саша з Маріуполя", "Сокіл", "2022-11~"),
                                      ("Олег Т.", "", "2023-01"), ("дід Микола", "Дід", "2022-06")):
                s.add(Sighting(interview_id=i.id, observer_id=p.id, name_as_heard=heard,
                               call_sign=sign, site_id=sizo.id,
                               first_seen=PartialDate.parse("2022-06"),
                               last_seen=PartialDate.parse(when), condition="injured_untreated",
                               contact_type="same_cell", identification_basis="self_introduced",
                               message_for_family="Передайте мамі, що живий"))
    import io

    attachments.add_attachment(vault, made[0][1].id, io.BytesIO(_png(640, 480)),
                               filename="injury-photo.png", kind="photo")
    vault.close()


class Shooter:
    def __init__(self, app: QApplication, out: Path, size: tuple[int, int]) -> None:
        self.app, self.out, self.size = app, out, size
        self.saved: list[Path] = []

    def wait(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("screen did not become ready")
            self.app.processEvents()
            time.sleep(0.005)
        for _ in range(5):
            self.app.processEvents()

    def shot(self, window: MainWindow, name: str) -> None:
        self.wait(lambda: True)
        path = self.out / f"{i18n.current_language()}-{name}.png"
        window.grab().save(str(path), "PNG", 0)  # 0: the most compression
        self.saved.append(path)


def shoot_language(shooter: Shooter, lang: str, folder: Path) -> None:
    language.apply(lang)
    worker, jobs = Worker(), Worker()
    windows: list[MainWindow] = []
    try:
        first = MainWindow(config.Preferences(), worker, jobs=jobs)  # nothing known yet
        windows.append(first)
        first.resize(*shooter.size)
        first.show()
        shooter.shot(first, "01-welcome")
        first.show_create()
        first.create_page.passphrase.setText("a few unrelated words")
        first.create_page.repeat.setText("a few unrelated words")
        shooter.shot(first, "02-create")
        first.recovery_page.show_code("QPUH-6HZB-XS7G-R653-SZK5-G5W2-V6F5-ZBDH")
        first._show(first.recovery_page)  # noqa: SLF001 - a screenshot of a later step
        shooter.shot(first, "03-recovery-code")
        first.close()

        prefs = config.Preferences()
        prefs.remember_vault(folder)
        window = MainWindow(prefs, worker, jobs=jobs)
        windows.append(window)
        window.resize(*shooter.size)
        window.show()
        shooter.shot(window, "04-unlock")
        window.unlock_page.passphrase.setText(PASSPHRASE)
        window.unlock_page.unlock()
        shooter.wait(lambda: window.workspace is not None)
        page = window.workspace.interviews
        shooter.wait(lambda: page.model.rowCount() > 0 and not page.model.loading)
        shooter.shot(window, "05-interviews")
        rows = [page.model.row(n) for n in range(page.model.rowCount())]
        page.open_interview(next(r.id for r in rows if r.interviewee == "Свідок 17"))
        shooter.wait(lambda: page.editor is not None)
        for n, key in enumerate(SECTIONS, start=6):
            section = page.editor.section(key)
            if key == "attachments":
                shooter.wait(lambda s=section: s.table.topLevelItemCount() > 0)
            shooter.shot(window, f"{n:02d}-editor-{key}")
        for n, key in enumerate(("people", "sites"), start=16):
            window.workspace.go(key)
            directory = getattr(window.workspace, key)
            shooter.wait(lambda d=directory: d.list.count() > 0)
            shooter.wait(lambda d=directory: d.mentions.topLevelItemCount() > 0)
            shooter.shot(window, f"{n:02d}-{key}")
        window.workspace.go("sync")
        shooter.wait(lambda: window.workspace.sync.state is not None)
        shooter.shot(window, "18-sync")
        window.workspace.go("settings")
        shooter.shot(window, "19-settings")
        window.close()
    finally:
        for w in windows:
            w.close()
        jobs.shutdown()
        worker.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--langs", default=",".join(i18n.LANGUAGES))
    parser.add_argument("--size", default="1000x700")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    args.outdir.mkdir(parents=True, exist_ok=True)
    os.umask(0o077)
    with tempfile.TemporaryDirectory(prefix="testimony-screens-") as tmp:
        os.environ["TESTIMONY_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ["TESTIMONY_DATA_DIR"] = str(Path(tmp) / "data")
        keep_qt_settings_off_disk()
        app = QApplication.instance() or QApplication(sys.argv[:1])
        folder = Path(tmp) / "vault"
        build_vault(folder)
        shooter = Shooter(app, args.outdir, (width, height))
        for lang in args.langs.split(","):
            shoot_language(shooter, lang.strip(), folder)
    for path in shooter.saved:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
