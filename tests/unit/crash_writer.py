"""A process that keeps writing to a vault and acknowledges each committed edit on stdout.

Run by test_crash_safety, which kills it with SIGKILL at random moments.
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Person
from testimony_app.services import attachments
from testimony_app.vault.vault import Vault


def main() -> None:
    folder, passphrase, seed = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    vault = Vault.open(folder, passphrase)
    interviews = vault.store.list(Interview)
    target = interviews[0]
    out = sys.stdout
    while True:
        choice = rng.random()
        if choice < 0.4:
            with vault.transaction() as store:
                p = store.add(Person(surname=f"S{seed}-{rng.randrange(10**9)}"))
            out.write(f"person {p.id} {p.rev} {p.surname}\n")
        elif choice < 0.9:
            text = f"narrative {seed} {rng.randrange(10**9)} " + "слово " * rng.randrange(500)
            with vault.transaction() as store:
                i = store.edit(Interview, target.id, narrative=text)
            out.write(f"interview {i.id} {i.rev} {len(text)}\n")
        else:
            data = rng.randbytes(rng.randrange(1, 300_000))
            a = attachments.add_attachment(vault, target.id, io.BytesIO(data), filename="x.bin")
            out.write(f"attachment {a.id} {a.rev} {a.sha256}\n")
        out.flush()


if __name__ == "__main__":
    main()
