"""Drop the obsolete entries (``#~ msgid ...``) from gettext catalogues, leaving every other byte as it is.

    python scripts/drop_obsolete.py locales/ko      # every .po file under the folder

``sphinx-intl update`` keeps a message whose English has gone as an obsolete ``#~`` entry, and has no
option to drop them, so the catalogues collected dead translations of paragraphs long rewritten (66 by
issue 28). ``make translations`` runs this script after ``sphinx-intl update``; a translator who needs an
old translation finds it in git. (``msgattrib --no-obsolete`` does the same but rewraps the file and is
not installed everywhere.)
"""

from __future__ import annotations

import sys
from pathlib import Path


def drop_obsolete(text: str) -> str:
    """The catalogue text without its obsolete entries (blocks holding a ``#~ msgid`` line).

    Entries are separated by blank lines, as babel and sphinx-intl write them.

    Examples
    --------
    >>> po = 'msgid "a"\\nmsgstr "가"\\n\\n# old\\n#~ msgid "b"\\n#~ msgstr "나"\\n\\nmsgid "c"\\nmsgstr "다"\\n\\n'
    >>> print(drop_obsolete(po), end="")
    msgid "a"
    msgstr "가"
    <BLANKLINE>
    msgid "c"
    msgstr "다"
    <BLANKLINE>
    >>> drop_obsolete(drop_obsolete(po)) == drop_obsolete(po)
    True
    """
    blocks = text.split("\n\n")
    kept = [b for b in blocks if not any(line.startswith("#~ msgid") for line in b.splitlines())]
    return "\n\n".join(kept)


def main(folder: str) -> None:
    for po in sorted(Path(folder).rglob("*.po")):
        text = po.read_text(encoding="utf-8")
        cleaned = drop_obsolete(text)
        if cleaned != text:
            po.write_text(cleaned, encoding="utf-8")
            dropped = text.count("\n#~ msgid") - cleaned.count("\n#~ msgid")
            print(f"{po}: dropped {dropped} obsolete entries")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "locales")
