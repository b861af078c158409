"""The access policy as data: the oracle of the isolation matrix.

The same table is written for people in ``docs/akses.md``; ``test_isolation_matrix``
parses that file and fails when the two disagree, so neither can drift. Read the
document for what the columns, states and actions mean.

A cell lists the kinds of document on which the action is allowed: ``semua`` (every
kind in ``KINDS``), ``—`` (none), or kind labels and group names separated by commas.
Whoever may not do an action either sees the document (then the action is refused and
changes nothing) or does not (then every route answers exactly as for a document that
does not exist); the ``lihat`` row says which.
"""
from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "akses.md"

NONE = "—"
ALL = "semua"
YES = "ya"

# The kinds this table decides on. A kind the application has and this table does not
# is a failure ("unmapped kind"), never a silent skip.
KINDS = {
    "PK Komisi": "pk_komisi",
    "PK Sekretariat": "pk_sekretariat",
    "RKT Komisi": "rkt_komisi",
    "RKT Sekretariat": "rkt_sekretariat",
    "RAK Komisioner": "rak_komisioner",
    "RAK Sekretariat": "rak_sekretariat",
    "LKj": "lkj",
}
GROUPS = {
    "Komisi": {"pk_komisi", "rkt_komisi", "rak_komisioner"},
    "Sekretariat": {"pk_sekretariat", "rkt_sekretariat", "rak_sekretariat"},
    "PK": {"pk_komisi", "pk_sekretariat"},
    "RKT": {"rkt_komisi", "rkt_sekretariat"},
    "RAK": {"rak_komisioner", "rak_sekretariat"},
}

# States of a document. "diajukan 1 ttd": submitted, the first of two signatories has
# signed (only kinds with two signatories have it). "baru": not created yet (buat).
STATES = ["baru", "draf", "diajukan", "diajukan 1 ttd", "ditandatangani", "disetujui"]
DOC_STATES = STATES[1:]

# Who, relative to the office that owns the document.
COLUMNS = [
    "ketua", "sekretaris", "anggota pelaksana", "anggota lain", "subbag pelaksana", "subbag lain",
    "admin", "inspektorat", "reviewer", "reviewer induk", "pembaca di atas", "pejabat di atas",
    "satker bawah", "satker sejajar", "provinsi lain",
]

ACTIONS = ["lihat", "unduh", "buat", "ubah", "tambah baris", "ubah baris", "impor", "ajukan", "tandatangani",
           "tinjau", "kembalikan", "revisi", "isi realisasi", "turunkan", "laporkan", "verifikasi", "lampirkan"]

_OTHERS = "diajukan, diajukan 1 ttd, ditandatangani, disetujui"


def _row(action: str, states: str, **cells: str) -> tuple[str, str, dict[str, str]]:
    unknown = set(cells) - {c.replace(" ", "_") for c in COLUMNS}
    assert not unknown, unknown
    return action, states, {c: cells.get(c.replace(" ", "_"), NONE) for c in COLUMNS}


_READERS = dict(ketua=ALL, sekretaris=ALL, anggota_pelaksana=ALL, anggota_lain=ALL, subbag_pelaksana=ALL,
                subbag_lain=ALL, admin=ALL, inspektorat=ALL, reviewer=ALL, reviewer_induk=ALL, pembaca_di_atas=ALL)
# The LKj is compiled by the Sekretariat and signed by the Ketua.
_PENYUSUN = dict(ketua="Komisi", sekretaris="Sekretariat, LKj")
_UNITS = dict(ketua="RAK Komisioner", sekretaris="RAK Sekretariat",
              anggota_pelaksana="RAK Komisioner", subbag_pelaksana="RAK Sekretariat")

TABLE: list[tuple[str, str, dict[str, str]]] = [
    _row("lihat", ALL, **_READERS),
    _row("unduh", ALL, **_READERS),
    _row("buat", "baru", **_PENYUSUN),
    _row("ubah", "draf", **_PENYUSUN),
    _row("ubah", _OTHERS),
    _row("tambah baris", "draf", **_UNITS, anggota_lain="RAK Komisioner", subbag_lain="RAK Sekretariat"),
    _row("tambah baris", _OTHERS),
    _row("ubah baris", "draf", **_UNITS),
    _row("ubah baris", _OTHERS),
    _row("impor", "draf", **(_PENYUSUN | dict(sekretaris="Sekretariat")), anggota_pelaksana="RAK Komisioner", anggota_lain="RAK Komisioner",
         subbag_pelaksana="RAK Sekretariat", subbag_lain="RAK Sekretariat"),
    _row("impor", _OTHERS),
    _row("ajukan", "draf", **_PENYUSUN),
    _row("ajukan", _OTHERS),
    _row("tandatangani", "diajukan", ketua="PK Komisi, RKT Komisi, LKj", sekretaris="Sekretariat, RAK Komisioner"),
    _row("tandatangani", "diajukan 1 ttd", ketua="PK Sekretariat, RAK"),
    _row("tandatangani", "draf, ditandatangani, disetujui"),
    _row("tinjau", "ditandatangani", reviewer_induk=ALL),
    _row("tinjau", "draf, diajukan, diajukan 1 ttd, disetujui"),
    _row("kembalikan", "diajukan, diajukan 1 ttd, ditandatangani", reviewer_induk=ALL),
    _row("kembalikan", "draf, disetujui"),
    _row("revisi", "disetujui", **_PENYUSUN),
    _row("revisi", "draf, diajukan, diajukan 1 ttd, ditandatangani"),
    _row("isi realisasi", "ditandatangani, disetujui", ketua="PK Komisi, RAK Komisioner",
         sekretaris="PK Sekretariat, RAK Sekretariat", anggota_pelaksana="RAK Komisioner",
         subbag_pelaksana="RAK Sekretariat"),
    _row("isi realisasi", "draf, diajukan, diajukan 1 ttd"),
    _row("turunkan", ALL, ketua="PK Komisi", sekretaris="PK Sekretariat"),
    _row("laporkan", "ditandatangani, disetujui", ketua="PK Komisi", sekretaris="PK Sekretariat"),
    _row("laporkan", "draf, diajukan, diajukan 1 ttd"),
    _row("verifikasi", "ditandatangani, disetujui", reviewer_induk="PK"),
    _row("verifikasi", "draf, diajukan, diajukan 1 ttd"),
    # Evidence attached to the document itself (the scan of the signed paper): its penyusun.
    _row("lampirkan", ALL, **_PENYUSUN),
]


# -- separation of duties ------------------------------------------------------------------------
# Rights add up (a person may hold several memberships), except here: whoever submitted or
# signed a revision may not review it, even holding a reviewer's membership at the parent
# office. Rows: what that reviewer also did to the revision under review.

PEMISAHAN_ACTIONS = ["tinjau", "kembalikan"]
PEMISAHAN_ROWS = ["mengajukan revisi itu", "menandatangani revisi itu", "tidak mengajukan dan tidak menandatangani"]
PEMISAHAN: list[tuple[str, dict[str, str]]] = [
    ("mengajukan revisi itu", {"tinjau": NONE, "kembalikan": NONE}),
    ("menandatangani revisi itu", {"tinjau": NONE, "kembalikan": NONE}),
    ("tidak mengajukan dan tidak menandatangani", {"tinjau": ALL, "kembalikan": ALL}),
]


def expand_pemisahan(table=None) -> dict[tuple[str, str], set[str]]:
    """{(row, action): allowed kinds}; every row and action exactly once."""
    result: dict[tuple[str, str], set[str]] = {}
    for row, cells in (table if table is not None else PEMISAHAN):
        for action in PEMISAHAN_ACTIONS:
            if row not in PEMISAHAN_ROWS or (row, action) in result:
                raise ValueError(f"bad or repeated separation-of-duties entry {(row, action)}")
            result[(row, action)] = kinds_of(cells[action])
    return result


def pemisahan_in_doc(text: str | None = None):
    """The separation-of-duties table as read from docs/akses.md, in PEMISAHAN's shape."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    for rows in markdown_tables(text):
        if rows[0][0] == "reviewer induk yang juga":
            assert rows[0][1:] == PEMISAHAN_ACTIONS, f"docs/akses.md: columns {rows[0][1:]} != {PEMISAHAN_ACTIONS}"
            return [(r[0], dict(zip(PEMISAHAN_ACTIONS, r[1:], strict=True))) for r in rows[1:]]
    return None


# -- a period's report: which step its state allows -------------------------------------------------
# The table above says who may report or verify a PK's period; the report's own state says
# which step is there to take (the state machine, workflow/pelaporan/flow.py). Whoever the
# table allows gets a refusal, nothing changed, for a step the state does not have.
# "draf" is a period not reported yet or a draft being written (the same steps).

LAPORAN_STATES = ["draf", "diajukan", "dikembalikan", "terverifikasi"]
LANGKAH_LAPORAN = ["analisis", "ajukan", "verifikasi", "kembalikan", "koreksi"]
LANGKAH: dict[str, set[str]] = {
    "analisis": {"draf", "dikembalikan"},
    "ajukan": {"draf", "dikembalikan"},
    "verifikasi": {"diajukan"},
    "kembalikan": {"diajukan"},
    "koreksi": {"terverifikasi"},
}


def langkah_in_doc(text: str | None = None) -> dict[str, set[str]] | None:
    """The report-state table as read from docs/akses.md, in LANGKAH's shape."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    for rows in markdown_tables(text):
        if rows[0][0] == "langkah laporan":
            assert rows[0][1:] == LAPORAN_STATES, f"docs/akses.md: columns {rows[0][1:]} != {LAPORAN_STATES}"
            return {r[0]: {s for s, c in zip(LAPORAN_STATES, r[1:], strict=True) if c == YES} for r in rows[1:]}
    return None


# -- the yearly evaluation (Evaluasi AKIP) ---------------------------------------------------------
# Per state of an office's evaluation and per column, whether the action is allowed. The
# columns are the document table's, with "inspektorat di atas" (an inspektorat membership at
# an office above: the evaluator) taken out of "pembaca di atas". "baru": the office has no
# evaluation of the year yet. Whoever sees the office (``lihat``) and may not act is refused,
# nothing changed; whoever does not see it gets the 404 of a missing office.

EVAL_STATES = ["baru", "draf", "diajukan", "dikembalikan", "diterbitkan", "disanggah", "final"]
EVAL_COLUMNS = COLUMNS[:10] + ["inspektorat di atas"] + COLUMNS[10:]
EVAL_ACTIONS = ["lihat", "isi", "ajukan", "nilai", "temuan", "kembalikan", "terbitkan", "sanggah", "tanggapan",
                "finalkan", "unduh LHE"]


def _eval_row(action: str, states: str, *columns: str) -> tuple[str, str, dict[str, str]]:
    unknown = set(columns) - set(EVAL_COLUMNS)
    assert not unknown, unknown
    return action, states, {c: YES if c in columns else NONE for c in EVAL_COLUMNS}


_PEMBACA_EVALUASI = (*COLUMNS[:10], "inspektorat di atas", "pembaca di atas")
EVAL_TABLE: list[tuple[str, str, dict[str, str]]] = [
    _eval_row("lihat", ALL, *_PEMBACA_EVALUASI),
    _eval_row("isi", "baru, draf, dikembalikan", "sekretaris"),
    _eval_row("isi", "diajukan, diterbitkan, disanggah, final"),
    _eval_row("ajukan", "draf, dikembalikan", "sekretaris"),
    _eval_row("ajukan", "baru, diajukan, diterbitkan, disanggah, final"),
    _eval_row("nilai", "diajukan, disanggah", "inspektorat di atas"),
    _eval_row("nilai", "baru, draf, dikembalikan, diterbitkan, final"),
    _eval_row("temuan", "diajukan", "inspektorat di atas"),
    _eval_row("temuan", "baru, draf, dikembalikan, diterbitkan, disanggah, final"),
    _eval_row("kembalikan", "diajukan", "inspektorat di atas"),
    _eval_row("kembalikan", "baru, draf, dikembalikan, diterbitkan, disanggah, final"),
    _eval_row("terbitkan", "diajukan, disanggah", "inspektorat di atas"),
    _eval_row("terbitkan", "baru, draf, dikembalikan, diterbitkan, final"),
    _eval_row("sanggah", "diterbitkan", "ketua", "sekretaris"),
    _eval_row("sanggah", "baru, draf, diajukan, dikembalikan, disanggah, final"),
    _eval_row("tanggapan", "disanggah", "inspektorat di atas"),
    _eval_row("tanggapan", "baru, draf, diajukan, dikembalikan, diterbitkan, final"),
    _eval_row("finalkan", "diterbitkan, disanggah", "inspektorat di atas"),
    _eval_row("finalkan", "baru, draf, diajukan, dikembalikan, final"),
    # Before final there is no LHE: the 404 of a missing office for everyone (not a refusal).
    _eval_row("unduh LHE", "final", *_PEMBACA_EVALUASI),
    _eval_row("unduh LHE", "baru, draf, diajukan, dikembalikan, diterbitkan, disanggah"),
]


def expand_eval(table=None) -> dict[tuple[str, str, str], bool]:
    """{(action, state, column): allowed}; every action and state exactly once."""
    result: dict[tuple[str, str, str], bool] = {}
    for action, states, cells in (table if table is not None else EVAL_TABLE):
        for state in (EVAL_STATES if states == ALL else split(states)):
            if action not in EVAL_ACTIONS or state not in EVAL_STATES:
                raise ValueError(f"unknown evaluation action or state {(action, state)}")
            for column in EVAL_COLUMNS:
                key = (action, state, column)
                if key in result:
                    raise ValueError(f"evaluation {action} / {state} is given twice")
                result[key] = cells[column] == YES
    missing = {(a, s) for a in EVAL_ACTIONS for s in EVAL_STATES} - {(a, s) for a, s, _c in result}
    if missing:
        raise ValueError(f"evaluation actions without a rule: {sorted(missing)}")
    return result


def eval_table_in_doc(text: str | None = None):
    """The evaluation table as read from docs/akses.md, in EVAL_TABLE's shape."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    for rows in markdown_tables(text):
        if rows[0][:2] == ["aksi evaluasi", "status"]:
            assert rows[0][2:] == EVAL_COLUMNS, f"docs/akses.md: columns {rows[0][2:]} != {EVAL_COLUMNS}"
            return [(r[0], r[1], dict(zip(EVAL_COLUMNS, r[2:], strict=True))) for r in rows[1:]]
    return None


def render_eval_table() -> str:
    lines = ["| aksi evaluasi | status | " + " | ".join(EVAL_COLUMNS) + " |", "|" + "---|" * (len(EVAL_COLUMNS) + 2)]
    lines += [f"| {a} | {s} | " + " | ".join(c[col] for col in EVAL_COLUMNS) + " |" for a, s, c in EVAL_TABLE]
    return "\n".join(lines)


# -- the back office (Flask-Admin) -------------------------------------------------------------

ADMIN_COLUMNS = ["admin satker itu", "admin di atas", "admin lain", "bukan admin"]
ADMIN_OBJECTS = ["satker", "pengguna", "pengguna dengan peran di atas", "keanggotaan", "penunjukan"]
ADMIN_ACTIONS = ["lihat", "ubah", "hapus", "aksi massal", "tunjuk", "akhiri"]

ADMIN_TABLE: list[tuple[str, str, dict[str, str]]] = [
    ("satker", "lihat", {"admin satker itu": YES, "admin di atas": YES, "admin lain": NONE, "bukan admin": NONE}),
    ("satker", "ubah, hapus, aksi massal", dict.fromkeys(ADMIN_COLUMNS, NONE)),
    ("pengguna", "lihat, ubah, hapus", {"admin satker itu": YES, "admin di atas": YES, "admin lain": NONE,
                                        "bukan admin": NONE}),
    ("pengguna", "aksi massal", dict.fromkeys(ADMIN_COLUMNS, NONE)),
    ("pengguna dengan peran di atas", "lihat, ubah, hapus", {"admin satker itu": NONE, "admin di atas": YES,
                                                             "admin lain": NONE, "bukan admin": NONE}),
    ("pengguna dengan peran di atas", "aksi massal", dict.fromkeys(ADMIN_COLUMNS, NONE)),
    ("keanggotaan", "lihat, hapus", {"admin satker itu": YES, "admin di atas": YES, "admin lain": NONE,
                                     "bukan admin": NONE}),
    ("keanggotaan", "ubah, aksi massal", dict.fromkeys(ADMIN_COLUMNS, NONE)),
    # acting officials (Plh, Plt) of an office: appointing, ending early or deleting one not started
    ("penunjukan", "tunjuk, akhiri", {"admin satker itu": YES, "admin di atas": YES, "admin lain": NONE,
                                      "bukan admin": NONE}),
]


# -- reading the tables --------------------------------------------------------------------------

def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def kinds_of(cell: str) -> set[str]:
    """The kinds (JenisDokumen values) a cell allows."""
    if cell == NONE:
        return set()
    if cell == ALL:
        return set(KINDS.values())
    found: set[str] = set()
    for token in split(cell):
        if token in KINDS:
            found.add(KINDS[token])
        elif token in GROUPS:
            found |= GROUPS[token]
        else:
            raise ValueError(f"unknown kind in a policy cell: {token!r}")
    return found


def states_of(text: str) -> list[str]:
    states = DOC_STATES if text == ALL else split(text)
    unknown = [s for s in states if s not in STATES]
    if unknown:
        raise ValueError(f"unknown state(s) {unknown}")
    return states


def expand(table=None) -> dict[tuple[str, str, str], set[str]]:
    """{(action, state, column): allowed kinds}; every (action, state) exactly once."""
    result: dict[tuple[str, str, str], set[str]] = {}
    for action, states, cells in (table if table is not None else TABLE):
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        for state in states_of(states):
            for column in COLUMNS:
                key = (action, state, column)
                if key in result:
                    raise ValueError(f"{action} / {state} is given twice")
                result[key] = kinds_of(cells[column])
    return result


def expand_admin(table=None) -> dict[tuple[str, str, str], bool]:
    result: dict[tuple[str, str, str], bool] = {}
    for obj, actions, cells in (table if table is not None else ADMIN_TABLE):
        for action in split(actions):
            for column in ADMIN_COLUMNS:
                key = (obj, action, column)
                if key in result or action not in ADMIN_ACTIONS or obj not in ADMIN_OBJECTS:
                    raise ValueError(f"bad or repeated admin entry {key}")
                result[key] = cells[column] == YES
    return result


ORACLE = expand()
ADMIN_ORACLE = expand_admin()
PEMISAHAN_ORACLE = expand_pemisahan()
EVAL_ORACLE = expand_eval()


def allowed(action: str, state: str, column: str, kind: str) -> bool:
    return kind in ORACLE[(action, state, column)]


def visible(state: str, column: str, kind: str) -> bool:
    return allowed("lihat", state, column, kind)


# -- the markdown ---------------------------------------------------------------------------------

_TABLE_LINE = re.compile(r"^\|(.+)\|\s*$")


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every pipe table in ``text`` as rows of stripped cells, header first (the ---
    separator line dropped); backticks around a cell are ignored."""
    tables, current = [], []
    for line in text.splitlines():
        match = _TABLE_LINE.match(line.strip())
        if not match:
            if current:
                tables.append(current)
                current = []
            continue
        cells = [c.strip().strip("`").strip() for c in match.group(1).split("|")]
        if all(set(c) <= set("-: ") for c in cells):
            continue
        current.append(cells)
    if current:
        tables.append(current)
    return tables


def tables_in_doc(text: str | None = None):
    """(document table, admin table) as read from docs/akses.md, in TABLE's shape."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    doc_table = admin_table = None
    for rows in markdown_tables(text):
        header = rows[0]
        if header[:2] == ["aksi", "status"]:
            assert header[2:] == COLUMNS, f"docs/akses.md: columns {header[2:]} != {COLUMNS}"
            doc_table = [(r[0], r[1], dict(zip(COLUMNS, r[2:], strict=True))) for r in rows[1:]]
        elif header[:2] == ["objek", "aksi"]:
            assert header[2:] == ADMIN_COLUMNS, f"docs/akses.md: columns {header[2:]} != {ADMIN_COLUMNS}"
            admin_table = [(r[0], r[1], dict(zip(ADMIN_COLUMNS, r[2:], strict=True))) for r in rows[1:]]
    return doc_table, admin_table


def render_markdown_tables() -> str:
    """The two tables as they should read in docs/akses.md (printed by the test on a
    mismatch, to paste)."""
    lines = ["| aksi | status | " + " | ".join(COLUMNS) + " |", "|" + "---|" * (len(COLUMNS) + 2)]
    lines += [f"| {a} | {s} | " + " | ".join(c[col] for col in COLUMNS) + " |" for a, s, c in TABLE]
    lines += ["", "| objek | aksi | " + " | ".join(ADMIN_COLUMNS) + " |", "|" + "---|" * (len(ADMIN_COLUMNS) + 2)]
    lines += [f"| {o} | {a} | " + " | ".join(c[col] for col in ADMIN_COLUMNS) + " |" for o, a, c in ADMIN_TABLE]
    return "\n".join(lines)


# -- follow-ups of an evaluation's recommendations: which step in which state, and who ------------
# (docs/akses.md, "Tindak lanjut"; the machine is workflow/tindaklanjut/flow.py, the people
# workflow/tindaklanjut/policy.py; tests/test_tindak_lanjut.py walks both.)

TINDAK_LANJUT_STATES = ["terbuka", "dilaporkan", "selesai"]
TINDAK_LANJUT: dict[str, tuple[set[str], str]] = {
    "lihat": ({"terbuka", "dilaporkan", "selesai"}, "whoever sees the office"),
    "laporkan": ({"terbuka"}, "its owner, or the Sekretaris of the office"),
    "selesaikan": ({"dilaporkan"}, "inspektorat above"),
    "kembalikan": ({"dilaporkan"}, "inspektorat above"),
    "ubah": ({"terbuka", "dilaporkan"}, "inspektorat above"),
}


def tindak_lanjut_in_doc(text: str | None = None) -> dict[str, tuple[set[str], str]] | None:
    """The follow-up table as read from docs/akses.md, in TINDAK_LANJUT's shape."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    for rows in markdown_tables(text):
        if rows[0][0] == "langkah tindak lanjut":
            assert rows[0][1:] == [*TINDAK_LANJUT_STATES, "who"], f"docs/akses.md: columns {rows[0][1:]}"
            return {r[0]: ({s for s, c in zip(TINDAK_LANJUT_STATES, r[1:4], strict=True) if c == YES}, r[4])
                    for r in rows[1:]}
    return None


# Who takes each step (docs/akses.md, "Tindak lanjut", the second table), per column: the
# evaluation table's, with "penanggung jawab" (the follow-up's owner, a member of the office)
# taken out of the owner's own role column. A step is allowed where its state allows it
# (TINDAK_LANJUT) and its column does (TL_SIAPA); whoever does not "lihat" gets the 404 of a
# missing office.
TL_COLUMNS = ["penanggung jawab", *EVAL_COLUMNS]
TL_SIAPA: dict[str, set[str]] = {
    "lihat": {"penanggung jawab", *_PEMBACA_EVALUASI},
    "laporkan": {"penanggung jawab", "sekretaris"},
    "selesaikan": {"inspektorat di atas"},
    "kembalikan": {"inspektorat di atas"},
    "ubah": {"inspektorat di atas"},
}


def tl_allowed(langkah: str, state: str, column: str) -> bool:
    return state in TINDAK_LANJUT[langkah][0] and column in TL_SIAPA[langkah]


def tl_siapa_in_doc(text: str | None = None) -> dict[str, set[str]] | None:
    """The follow-up's who-table as read from docs/akses.md, in TL_SIAPA's shape."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    for rows in markdown_tables(text):
        if rows[0][0] == "siapa tindak lanjut":
            assert rows[0][1:] == TL_COLUMNS, f"docs/akses.md: columns {rows[0][1:]} != {TL_COLUMNS}"
            return {r[0]: {c for c, cell in zip(TL_COLUMNS, r[1:], strict=True) if cell == YES} for r in rows[1:]}
    return None


def render_tl_siapa() -> str:
    lines = ["| siapa tindak lanjut | " + " | ".join(TL_COLUMNS) + " |", "|" + "---|" * (len(TL_COLUMNS) + 1)]
    lines += [f"| {langkah} | " + " | ".join(YES if c in siapa else NONE for c in TL_COLUMNS) + " |"
              for langkah, siapa in TL_SIAPA.items()]
    return "\n".join(lines)
