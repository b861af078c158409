"""The editors: header and programs, sasaran and indikator (PK, RKT), RAK rows.

Each form carries the document version it was opened on and, for a row, a sasaran, an
indikator or the header, that part as it was shown (``workflow.dokumen.sidik``): a save is refused
only when that part changed since, with the user's input kept on the page (nothing is lost
silently); rows saved by others meanwhile do not count.
Handlers load -> check -> act: ``common.dokumen_or_404`` for reach, then the
operation, which asks ``workflow.dokumen.policy`` who may edit what.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import LazyString
from flask_login import current_user
from markupsafe import Markup
from wtforms import DateField, FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from tenants.db import db
from webapp import markup
from webapp.common import dokumen_or_404, saving
from webapp.document_page import render_dokumen
from webapp.forms import Form, HiddenInput, Select, TextArea, TextInput
from webapp.gate import gated
from webapp.i18n import terjemahkan
from workflow import naskah, schedule
from workflow.capaian import CaraAgregasi
from workflow.dokumen import bab_lkj as lkj, operations, policy, sidik as sidik_isi, target_periode
from workflow.dokumen.content import RakBaris
from workflow.dokumen.queries import bentuk_jadwal_kantor
from workflow.dokumen.models import Bentuk, Dokumen, Revisi
from workflow.dokumen.operations import BarisData, Kepala, ProgramData
from workflow.errors import Ditolak, Konflik, WorkflowError
from workflow.rupiah import (  # one parser with the import (workflow.imports)
    baca_rupiah, MAX_BIAYA, RupiahBersen, RupiahNegatif)
from workflow.schedule import BentukJadwal
from workflow.target import Polaritas

bp = Blueprint("editors", __name__)


class RupiahField(StringField):
    """Whole rupiah as offices type them; stored as an integer."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = baca_rupiah(text)
        except RupiahNegatif:
            self.data = None
            raise ValueError(_("Jumlah rupiah tidak boleh negatif.")) from None
        except RupiahBersen:
            self.data = None
            raise ValueError(_("Tulis jumlah rupiah tanpa sen, mis. Rp 10.604.086.100.")) from None
        except ValueError:
            self.data = None
            raise ValueError(_("'%(teks)s' bukan jumlah rupiah: tulis mis. 1.250.000", teks=text[:40])) from None
        if self.data >= MAX_BIAYA:
            self.data = None
            raise ValueError(_("Jumlah rupiah terlalu besar."))

    def _value(self):
        if isinstance(self.data, int):
            return "Rp " + f"{self.data:,}".replace(",", ".")
        return self.raw_data[0] if self.raw_data else ""


def _l(text: str) -> LazyString:
    """Flask-Babel's ``lazy_gettext`` (the same lazy text, extracted as it is), looked up in
    the request's catalogue kept as the templates' ``_()`` keep it: Flask-Babel finds the
    catalogue again at each read (about 16 µs; a form shows a dozen labels)."""
    return LazyString(terjemahkan, text)


def _label_enum(member) -> LazyString:
    """An enum member's label, read when the form is shown: in the reader's language
    (the choices below are built once, at import)."""
    return LazyString(lambda: member.label)


POLARITAS_CHOICES = [SelectChoice(p.value, _label_enum(p)) for p in Polaritas]


def _ascii_int(text: str | None) -> int | None:
    # "²".isdigit() is True, int("²") fails: only plain digits are numbers here.
    text = text or ""
    return int(text) if text.isascii() and text.isdigit() else None


class SafeFieldList(FieldList):
    """A FieldList that ignores keys whose index is not a plain number (a crafted
    ``program-²-kode`` would otherwise end in int() and a 500)."""

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = _ascii_int(key[offset:].split(self._field_separator, 1)[0])
                if index is not None:
                    yield index


class VersiForm(Form):
    # Every save says which version it was typed on; without it there is no save.
    versi = HiddenField(validators=[DataRequired()], widget=HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.meta.csrf:  # Flask-WTF's token field, written by the faster widget too
            self[self.meta.csrf_field_name].widget = HiddenInput()

    @property
    def versi_int(self) -> int | None:
        return _ascii_int(self.versi.data)


class SidikForm(VersiForm):
    # The fingerprint of the part edited, as the form showed it (workflow.dokumen.sidik): only a
    # change to that part since is a conflict, not a row someone else saved meanwhile.
    sidik = HiddenField(validators=[Optional(), Length(max=64)], widget=HiddenInput())

    @property
    def sidik_data(self) -> str | None:
        return self.sidik.data or None


class ProgramForm(Form):
    class Meta:
        csrf = False

    kode = StringField(_l("Kode"), validators=[Optional(), Length(max=20)])
    nama = StringField(_l("Program"), validators=[Optional(), Length(max=255)])
    anggaran = RupiahField(_l("Anggaran"))


class KepalaForm(SidikForm):
    tempat = StringField(_l("Tempat penandatanganan"), validators=[Optional(), Length(max=80)])
    tanggal = DateField(_l("Tanggal penandatanganan"), validators=[Optional()])
    dipa_nomor = StringField(_l("Nomor DIPA"), validators=[Optional(), Length(max=80)])
    dipa_tanggal = DateField(_l("Tanggal DIPA"), validators=[Optional()])
    pagu = RupiahField(_l("Pagu"))
    bentuk_jadwal = SelectField(_l("Bentuk jadwal"), choices=[SelectChoice(b.value, _label_enum(b)) for b in BentukJadwal])
    program = SafeFieldList(FormField(ProgramForm), min_entries=1, max_entries=20)


class SasaranForm(SidikForm):
    tujuan = TextAreaField(_l("Tujuan (judul kelompok, boleh kosong)"), validators=[Optional(), Length(max=4000)])
    uraian = TextAreaField(_l("Sasaran strategis"), validators=[DataRequired(_l("Sasaran wajib diisi.")), Length(max=4000)])


AGREGASI_CHOICES = [SelectChoice("", _l("Bawaan: angka dijumlahkan, selainnya nilai terakhir"))] + [
    SelectChoice(c.value, _label_enum(c)) for c in CaraAgregasi]


class IndikatorForm(SidikForm):
    uraian = TextAreaField(_l("Indikator kinerja"), validators=[DataRequired(_l("Indikator wajib diisi.")), Length(max=4000)])
    target = StringField(_l("Target"), validators=[DataRequired(_l("Target wajib diisi.")), Length(max=60)],
                         description=_l("Seperti tertulis: 97,5%, 2 Laporan, 2.498 Orang, BB, WTP"))
    polaritas = SelectField(_l("Arah"), choices=POLARITAS_CHOICES)
    # Unknown values are refused by the operation, with a sentence instead of "not a valid choice".
    pelaksana = SelectField(_l("Pelaksana (pengisi realisasi)"), validate_choice=False)
    cara_agregasi = SelectField(_l("Cara menggabungkan realisasi per periode"), choices=AGREGASI_CHOICES,
                                validate_choice=False,
                                description=_l("Periode yang kosong tidak dihitung sebagai nol."))


class BarisForm(SidikForm):
    # The RAK row editor is a third of the load's requests: its fields are written by the
    # faster widgets of webapp.forms (the same HTML).
    sasaran = TextAreaField(_l("Sasaran program"), validators=[Optional(), Length(max=4000)], widget=TextArea())
    indikator = TextAreaField(_l("Indikator kinerja"), widget=TextArea(),
                              validators=[DataRequired(_l("Indikator wajib diisi.")), Length(max=4000)])
    target = StringField(_l("Target"), validators=[Optional(), Length(max=60)], widget=TextInput(),
                         description=_l("Seperti tertulis: 97,5%, 2 Laporan, 2.498 Orang, BB, WTP"))
    polaritas = SelectField(_l("Arah"), choices=POLARITAS_CHOICES, widget=Select())
    kegiatan = TextAreaField(_l("Kegiatan (satu per baris)"), validators=[Optional(), Length(max=20000)],
                             widget=TextArea())
    kode_output = StringField(_l("Kode output anggaran"), validators=[Optional(), Length(max=32)], widget=TextInput(),
                              description=_l("mis. CQ.6709.QGE.003"))
    biaya = RupiahField(_l("Perkiraan biaya"), widget=TextInput())
    pelaksana = SelectField(_l("Pelaksana"), widget=Select())

    def validate_kode_output(self, field):
        if field.data and not operations.KODE_OUTPUT.match(field.data.strip().upper()):
            raise ValidationError(_("Kode output tidak sesuai pola, contoh: CQ.6709.QGE.003."))


# -- shared handling ---------------------------------------------------------------------

def _render(template: str, dokumen: Dokumen, form, status: int = 200, error: WorkflowError | None = None, **extra):
    return render_template(template, dokumen=dokumen, form=form, error=error, **extra), status


def _save(dokumen: Dokumen, action, template: str, form, tampil: Callable[[], dict] | None = None, **extra):
    """Run an operation and commit; on refusal keep the user's input on the page. ``tampil``:
    what else the page shows, made only for that page (a save that succeeds shows none)."""
    dokumen_id = dokumen.id
    try:
        with saving():
            action()
    except WorkflowError as exc:
        dokumen = dokumen_or_404(dokumen_id)
        if isinstance(exc, Konflik):
            form.versi.data = str(dokumen.versi)  # saving again now applies the user's input on the new version
        if isinstance(exc, sidik_isi.BerubahSejakDibuka):
            form.sidik.data = exc.sidik  # ... and on the part as it reads now
        return _render(template, dokumen, form, exc.status, exc, **extra, **(tampil() if tampil else {}))
    flash(_("Perubahan disimpan."), "success")
    # The id read before the commit: reading it after would load the document again.
    return redirect(url_for("documents.lihat", dokumen_id=dokumen_id))


class Hilang(Exception):
    """A row the user had open was removed by someone else meanwhile."""


def _by_kunci(rows, kunci: str | None):
    """The row with this key; on a save, a row gone meanwhile is a conflict (the typed
    input is shown again), on a plain visit it is simply not found."""
    if kunci is None:
        return None
    return _ada(next((r for r in rows if r.kunci == kunci), None))


def _ada(found):
    """``found``, or what a row that is not there answers (see ``_by_kunci``)."""
    if found is None:
        if request.method == "POST":
            raise Hilang()
        abort(404)
    return found


@bp.errorhandler(Hilang)
def _gone_while_editing(_exc):
    """Re-show the form with the user's input and a way to save it as a new entry."""
    typed = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "versi")]
    return render_template("editors/hilang.html", values=typed), 409


def _refuse_if(decision: policy.Keputusan, dokumen: Dokumen, template: str, form, **extra):
    if decision:
        return None
    return _render(template, dokumen, form, 403, Ditolak(decision.alasan), **extra)


# -- header and programs -------------------------------------------------------------------

@bp.route("/dokumen/<int:dokumen_id>/kepala", methods=["GET", "POST"])
@gated
def kepala(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id, lock=request.method == "POST")
    revisi = dokumen.revisi_aktif
    form = KepalaForm()
    if request.method == "GET":
        form.versi.data = str(dokumen.versi)
        form.sidik.data = sidik_isi.kepala(revisi)
        for name in ("tempat", "tanggal", "dipa_nomor", "dipa_tanggal", "pagu"):
            getattr(form, name).data = getattr(revisi, name)
        form.bentuk_jadwal.data = (revisi.bentuk_jadwal or BentukJadwal.BULAN).value
        while form.program.entries:
            form.program.pop_entry()
        for p in revisi.program:
            form.program.append_entry({"kode": p.kode, "nama": p.nama, "anggaran": p.anggaran})
        form.program.append_entry()
    if refused := _refuse_if(policy.ubah_semua(current_user, dokumen), dokumen, "editors/kepala.html", form):
        return refused
    if not form.validate_on_submit():
        return _render("editors/kepala.html", dokumen, form, 422 if request.method == "POST" else 200)
    programs = [ProgramData(e.form.kode.data or "", e.form.nama.data or "", e.form.anggaran.data or 0)
                for e in form.program.entries if (e.form.kode.data or e.form.nama.data or e.form.anggaran.data)]
    data = Kepala(tempat=form.tempat.data, tanggal=form.tanggal.data, dipa_nomor=form.dipa_nomor.data,
                  dipa_tanggal=form.dipa_tanggal.data, pagu=form.pagu.data,
                  bentuk_jadwal=BentukJadwal(form.bentuk_jadwal.data))

    return _save(dokumen, lambda: operations.simpan_kepala(db.session, dokumen, current_user, data, programs,
                                                           versi=form.versi_int, sidik=form.sidik_data),
                 "editors/kepala.html", form)


# -- RAK rows ----------------------------------------------------------------------------------

def _pelaksana_choices(dokumen: Dokumen) -> list[SelectChoice]:
    choices = operations.pilihan_pelaksana(dokumen.jenis)
    if policy.ubah_semua(current_user, dokumen):
        return [SelectChoice("", _("(belum ditentukan)"))] + [SelectChoice(v, label) for v, label in choices]
    own = policy.unit_pelaksana(current_user, dokumen)
    return [SelectChoice(v, label) for v, label in choices if v in own]


def _kotak_jadwal(bentuk: BentukJadwal, sel: list[bool]) -> list[tuple[int, str, str, bool]]:
    """The schedule's checkboxes: (number from 1, column header, the cell in words, checked)."""
    return list(zip(range(1, len(sel) + 1), bentuk.kolom, bentuk.judul, sel))


def _sel_dari_form() -> list[int]:
    return sorted({n for n in (_ascii_int(v) for v in request.form.getlist("jadwal")) if n is not None})


@bp.route("/dokumen/<int:dokumen_id>/baris", methods=["GET", "POST"], defaults={"kunci": None})
@bp.route("/dokumen/<int:dokumen_id>/baris/<kunci>", methods=["GET", "POST"])
@gated
def baris(dokumen_id: int, kunci: str | None):
    dokumen, revisi, existing = _dokumen_baris(dokumen_id, kunci)
    if kunci is not None:
        _ada(existing)
    form = BarisForm()
    form.pelaksana.choices = _pelaksana_choices(dokumen)
    if request.method == "GET":
        _isi_form_baris(form, dokumen, revisi, existing)
    tampil = _tampil_baris(dokumen, revisi, existing)
    decision = (policy.ubah_baris(current_user, dokumen, existing.pelaksana) if existing is not None
                else policy.tambah_baris(current_user, dokumen))
    if not decision:
        return _render("editors/baris.html", dokumen, form, 403, Ditolak(decision.alasan), **tampil())
    if not form.validate_on_submit():
        return _render("editors/baris.html", dokumen, form, 422 if request.method == "POST" else 200, **tampil())
    data = BarisData(
        sasaran=form.sasaran.data or "", indikator=form.indikator.data or "", target=form.target.data or "",
        polaritas=Polaritas(form.polaritas.data), kegiatan=(form.kegiatan.data or "").splitlines(),
        kode_output=form.kode_output.data, sel_jadwal=_sel_dari_form(), biaya=form.biaya.data,
        pelaksana=form.pelaksana.data or None,
        target_periode=request.form.getlist("target_periode") if "target_periode" in request.form else None,
        alasan_target_periode=request.form.get("alasan_target_periode"),
    )
    return _save(dokumen, lambda: operations.simpan_baris(db.session, dokumen, current_user, data, kunci=kunci,
                                                          versi=form.versi_int, revisi=revisi, baris=existing,
                                                          sidik=form.sidik_data),
                 "editors/baris.html", form, tampil)


def _isi_form_baris(form: BarisForm, dokumen: Dokumen, revisi: Revisi, existing: RakBaris | None) -> None:
    form.versi.data = str(dokumen.versi)
    form.sidik.data = sidik_isi.baris(revisi, existing)
    if existing:
        for name in ("sasaran", "indikator", "target", "kode_output", "biaya"):
            getattr(form, name).data = getattr(existing, name)
        form.polaritas.data = existing.polaritas.value
        form.pelaksana.data = existing.pelaksana or ""
        form.kegiatan.data = "\n".join(k.uraian for k in existing.kegiatan)


def _tampil_baris(dokumen: Dokumen, revisi: Revisi, existing: RakBaris | None) -> Callable[[], dict]:
    """What the row editor shows beside the form (the schedule's boxes, the period targets),
    made when a page is shown: a save that succeeds shows none. What the row holds is read
    now (``_periode_editor``); the boxes of a save are those it posted."""
    bentuk = revisi.bentuk_jadwal or BentukJadwal.BULAN
    kosong = [False] * schedule.jumlah_sel(bentuk)
    # A visit shows the row's schedule; a save refused, the boxes it posted.
    sel = (schedule.sel(existing.jadwal, bentuk) if existing else kosong) if request.method == "GET" else None
    periode = _periode_editor(dokumen, existing)

    def tampil() -> dict:
        boxes = sel
        if boxes is None:
            chosen = set(_sel_dari_form())
            boxes = [i + 1 in chosen for i in range(len(kosong))]
        return {"existing": existing, "bentuk": bentuk, "jadwal": _kotak_jadwal(bentuk, boxes), **periode()}
    return tampil


def _dokumen_baris(dokumen_id: int, kunci: str | None) -> tuple[Dokumen, Revisi, RakBaris | None]:
    """The RAK, its current revision's header and the one row edited (not every row with its
    kegiatan); the office's schedule shape read with them."""
    if request.method == "GET":
        found = operations.dokumen_baris(db.session, dokumen_id, kunci, policy.terlihat(current_user))
        if found is None:  # missing or out of reach: the same 404 as dokumen_or_404's
            abort(404)
        if found[0].jenis.bentuk is not Bentuk.RAK:
            abort(404)
        return found
    # A save waits for another save or a step on this document (PostgreSQL's row lock), then
    # reads what that one left: each row is compared with what its own editor showed.
    dokumen = dokumen_or_404(dokumen_id, lock=True)
    if dokumen.jenis.bentuk is not Bentuk.RAK:
        abort(404)
    return dokumen, *operations.revisi_baris(db.session, dokumen, kunci)


def _post_action(dokumen_id: int, action, done: str):
    dokumen = dokumen_or_404(dokumen_id)
    form = VersiForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with saving():
            action(dokumen, form.versi_int)
    except WorkflowError as exc:
        return render_dokumen(dokumen_or_404(dokumen_id), error=exc, status=exc.status)
    flash(done, "success")
    return redirect(url_for("documents.lihat", dokumen_id=dokumen_id))


@bp.post("/dokumen/<int:dokumen_id>/baris/<kunci>/hapus")
@gated
def hapus_baris(dokumen_id: int, kunci: str):
    return _post_action(dokumen_id, lambda d, v: operations.hapus_baris(db.session, d, current_user, kunci, versi=v),
                        _("Baris dihapus."))


@bp.post("/dokumen/<int:dokumen_id>/geser/<kunci>", defaults={"sasaran_kunci": None})
@bp.post("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/geser/<kunci>")
@gated
def geser(dokumen_id: int, kunci: str, sasaran_kunci: str | None):
    arah = 1 if request.form.get("arah") == "1" else -1
    return _post_action(dokumen_id, lambda d, v: operations.geser(
        db.session, d, current_user, kunci, arah, versi=v, sasaran_kunci=sasaran_kunci), _("Urutan diubah."))


# -- sasaran and indikator (PK, RKT) ---------------------------------------------------------

def _indikator_doc(dokumen_id: int) -> Dokumen:
    dokumen = dokumen_or_404(dokumen_id, lock=request.method == "POST")  # see ``baris``
    if dokumen.jenis.bentuk not in (Bentuk.PK, Bentuk.RKT):  # a RAK has rows, an LKj computes its tables
        abort(404)
    return dokumen


@bp.route("/dokumen/<int:dokumen_id>/sasaran", methods=["GET", "POST"], defaults={"kunci": None})
@bp.route("/dokumen/<int:dokumen_id>/sasaran/<kunci>", methods=["GET", "POST"])
@gated
def sasaran(dokumen_id: int, kunci: str | None):
    dokumen = _indikator_doc(dokumen_id)
    revisi = dokumen.revisi_aktif
    existing = _by_kunci(revisi.sasaran, kunci)
    form = SasaranForm()
    if request.method == "GET":
        form.versi.data = str(dokumen.versi)
        form.sidik.data = sidik_isi.sasaran(revisi, existing)
        if existing:
            form.tujuan.data, form.uraian.data = existing.tujuan, existing.uraian
    if refused := _refuse_if(policy.ubah_semua(current_user, dokumen), dokumen, "editors/sasaran.html", form):
        return refused
    if not form.validate_on_submit():
        return _render("editors/sasaran.html", dokumen, form, 422 if request.method == "POST" else 200)
    return _save(dokumen, lambda: operations.simpan_sasaran(
        db.session, dokumen, current_user, form.uraian.data, form.tujuan.data, kunci=kunci, versi=form.versi_int,
        sidik=form.sidik_data),
        "editors/sasaran.html", form)


@bp.post("/dokumen/<int:dokumen_id>/sasaran/<kunci>/hapus")
@gated
def hapus_sasaran(dokumen_id: int, kunci: str):
    return _post_action(dokumen_id, lambda d, v: operations.hapus_sasaran(db.session, d, current_user, kunci, versi=v),
                        _("Sasaran dihapus."))


@bp.route("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator", methods=["GET", "POST"], defaults={"kunci": None})
@bp.route("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator/<kunci>", methods=["GET", "POST"])
@gated
def indikator(dokumen_id: int, sasaran_kunci: str, kunci: str | None):
    dokumen = _indikator_doc(dokumen_id)
    revisi = dokumen.revisi_aktif
    induk = _by_kunci(revisi.sasaran, sasaran_kunci)
    existing = _by_kunci(induk.indikator, kunci)
    form = IndikatorForm()
    form.pelaksana.choices = [SelectChoice("", _("Penyusun (%(peran)s)", peran=dokumen.jenis.penyusun.label))] + [
        SelectChoice(v, label) for v, label in operations.pilihan_pelaksana_indikator(dokumen.jenis)]
    if request.method == "GET":
        form.versi.data = str(dokumen.versi)
        form.sidik.data = sidik_isi.indikator(revisi, induk, existing)
        if existing:
            form.uraian.data, form.target.data = existing.uraian, existing.target
            form.polaritas.data = existing.polaritas.value
            form.pelaksana.data, form.cara_agregasi.data = existing.pelaksana or "", existing.cara_agregasi or ""
    extra = {"induk": induk, "existing": existing, **_periode_editor(dokumen, existing)()}
    if refused := _refuse_if(policy.ubah_semua(current_user, dokumen), dokumen, "editors/indikator.html", form, **extra):
        return refused
    if not form.validate_on_submit():
        return _render("editors/indikator.html", dokumen, form, 422 if request.method == "POST" else 200, **extra)
    return _save(dokumen, lambda: operations.simpan_indikator(
        db.session, dokumen, current_user, sasaran_kunci, form.uraian.data, form.target.data,
        Polaritas(form.polaritas.data), kunci=kunci, versi=form.versi_int,
        pelaksana=_dikirim(form.pelaksana), cara_agregasi=_dikirim(form.cara_agregasi), sidik=form.sidik_data,
        target_periode=request.form.getlist("target_periode") if "target_periode" in request.form else None,
        alasan_target_periode=request.form.get("alasan_target_periode")),
        "editors/indikator.html", form, **extra)


def _periode_editor(dokumen: Dokumen, existing) -> Callable[[], dict]:
    """The period targets' inputs: the stored ones (as written), else empty ones in the
    office's shape; what was posted when the page comes back with a refusal. The row is read
    now, the inputs made when the page is shown (a save refused shows the row as it was
    before, not as its rollback left the objects: expired)."""
    stored = target_periode.daftar(existing) if existing is not None else None
    ditulis = [target_periode.tulis(existing, v) for v in stored] if stored else None
    alasan_tersimpan = (existing.alasan_target_periode if existing is not None else None) or ""

    def periode() -> dict:
        n = len(ditulis) if ditulis else target_periode.jumlah_periode(
            bentuk_jadwal_kantor(db.session, dokumen.satker, dokumen.tahun))
        if request.method == "POST" and "target_periode" in request.form:
            nilai = request.form.getlist("target_periode")[:n]
            alasan = request.form.get("alasan_target_periode", "")
        else:
            nilai, alasan = list(ditulis or ()), alasan_tersimpan
        nilai += [""] * (n - len(nilai))  # none stored, or fewer posted than the periods: shown empty
        return {"periode": list(zip(range(1, n + 1), target_periode.label_periode(n), nilai)),
                "periode_alasan": alasan}
    return periode


def _dikirim(field) -> str | None:
    """A select's posted value, "" when left blank; None when the form did not carry it
    (a page from before the field existed), which leaves the stored choice alone."""
    return (field.data or "") if field.raw_data else None


@bp.app_template_filter("agregasi")
def agregasi_label(value: str | None) -> str:
    """How an indikator's periods add up, in words; empty for the default by kind."""
    return CaraAgregasi(value).label if value in {c.value for c in CaraAgregasi} else ""


@bp.post("/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator/<kunci>/hapus")
@gated
def hapus_indikator(dokumen_id: int, sasaran_kunci: str, kunci: str):
    return _post_action(dokumen_id, lambda d, v: operations.hapus_indikator(
        db.session, d, current_user, sasaran_kunci, kunci, versi=v), _("Indikator dihapus."))


# -- the Laporan Kinerja's chapters and staff count -----------------------------------------------

class BabForm(VersiForm):
    # The HTML of the editor (a chapter pasted from Word) is longer than its words: its own limit.
    teks = TextAreaField(_l("Isi bab"), validators=[Optional(), Length(max=lkj.MAX_HTML)],
                         description=_l("Pisahkan paragraf dengan baris baru. Teks yang ditempel dari Word tetap "
                                        "membawa paragraf, daftar berbutir atau bernomor, huruf tebal dan miring."))
    # "html" when ``teks`` is the editor's markup (set by static/naskah.js, or kept for a chapter that is markup).
    format = HiddenField(validators=[Optional(), Length(max=8)])

    @property
    def html(self) -> bool:
        return self.format.data == "html"


class PegawaiForm(VersiForm):
    pegawai_pns = IntegerField(_l("PNS"), validators=[Optional(), NumberRange(0, lkj.MAX_PEGAWAI)])
    pegawai_pppk = IntegerField(_l("PPPK"), validators=[Optional(), NumberRange(0, lkj.MAX_PEGAWAI)])
    pegawai_ppnpn = IntegerField(_l("PPNPN"), validators=[Optional(), NumberRange(0, lkj.MAX_PEGAWAI)])


def _lkj_doc(dokumen_id: int) -> Dokumen:
    dokumen = dokumen_or_404(dokumen_id)
    if dokumen.jenis.bentuk is not Bentuk.LKJ:
        abort(404)
    return dokumen


@bp.route("/dokumen/<int:dokumen_id>/lkj/bab/<bab>", methods=["GET", "POST"])
@gated
def bab_lkj(dokumen_id: int, bab: str):
    dokumen = _lkj_doc(dokumen_id)
    if bab not in lkj.JUDUL_BAB:
        abort(404)
    form = BabForm()
    if request.method == "GET":
        form.versi.data = str(dokumen.versi)
        form.teks.data = getattr(dokumen.revisi_aktif.lkj, bab, "")
        form.format.data = "html" if naskah.berformat(form.teks.data) else ""
    extra = {"judul": lkj.JUDUL_BAB[bab], "naskah_awal": _naskah_awal(form)}
    if refused := _refuse_if(policy.ubah_semua(current_user, dokumen), dokumen, "editors/bab_lkj.html", form, **extra):
        return refused
    if not form.validate_on_submit():
        return _render("editors/bab_lkj.html", dokumen, form, 422 if request.method == "POST" else 200, **extra)
    return _save(dokumen, lambda: operations.simpan_bab_lkj(db.session, dokumen, current_user, bab, form.teks.data,
                                                            versi=form.versi_int, html=form.html),
                 "editors/bab_lkj.html", form, **extra)


def _naskah_awal(form: BabForm) -> Markup:
    """What the rich editor opens with: the chapter (or the input sent back) as clean markup."""
    teks = form.teks.data or ""
    if len(teks) > lkj.MAX_HTML:
        return Markup("")
    return markup.naskah_bab(naskah.bersihkan_html(teks) if form.html else teks)


@bp.route("/dokumen/<int:dokumen_id>/lkj/pegawai", methods=["GET", "POST"])
@gated
def pegawai_lkj(dokumen_id: int):
    dokumen = _lkj_doc(dokumen_id)
    form = PegawaiForm()
    if request.method == "GET":
        form.versi.data = str(dokumen.versi)
        for name, _label in lkj.PEGAWAI:
            getattr(form, name).data = getattr(dokumen.revisi_aktif.lkj, name, None)
    if refused := _refuse_if(policy.ubah_semua(current_user, dokumen), dokumen, "editors/pegawai_lkj.html", form):
        return refused
    if not form.validate_on_submit():
        return _render("editors/pegawai_lkj.html", dokumen, form, 422 if request.method == "POST" else 200)
    jumlah = {name: getattr(form, name).data for name, _label in lkj.PEGAWAI}
    return _save(dokumen, lambda: operations.simpan_pegawai_lkj(db.session, dokumen, current_user, jumlah,
                                                                versi=form.versi_int), "editors/pegawai_lkj.html", form)
