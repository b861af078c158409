"""The recap of a year's evaluations (issue 18 point 5): ``/evaluasi/rekap?tahun=&provinsi=
&urut=&arah=`` and the same as Excel at ``/evaluasi/rekap.xlsx``. A scoped list: what each
person sees is ``tenants.scoping``'s (KPU RI's inspektorat, reviewers and admins the
country, a province's its offices, an office itself); a province filter out of reach
answers 404 exactly like a missing one."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from tenants import scoping
from tenants.db import db
from tenants.satker import Satker, Tingkat
from webapp.common import kirim_berkas
from webapp.exports.xlsx import XLSX_MIMETYPE
from webapp.exports import rekap_evaluasi
from webapp.gate import gated, visible_satker_or_404
from webapp.i18n import desimal
from workflow.evaluasi import queries, rekap
from workflow.evaluasi.models import StatusEvaluasi
from workflow.evaluasi.skor import SEMUA_PREDIKAT

bp = Blueprint("evaluasi_rekap", __name__)


@bp.app_template_filter("skor")
def skor_teks(value: Decimal | None) -> str:
    """A score as the ``desimal`` filter writes it (``68,71``, ``80``, ``-2,5``) without
    Babel's call per cell, which was most of the national page's time (2 500 cells):
    scores have at most two decimals and stay below a thousand, so no rounding and no
    grouping. Anything else goes to ``desimal`` (tests/test_evaluasi_rekap.py compares)."""
    if value is None:
        return "-"
    if isinstance(value, Decimal) and value.as_tuple().exponent >= -2 and abs(value) < 1000:
        whole, _dot, frac = f"{value:.2f}".partition(".")
        frac = frac.rstrip("0")
        return f"{whole},{frac}" if frac else whole
    return desimal(value)


def _tahun() -> int:
    tahun = request.args.get("tahun", type=int) or queries.tahun_bawaan(db.session)
    if not 2000 <= tahun <= 2100:
        abort(404)
    return tahun


def _provinsi() -> Satker | None:
    kode = request.args.get("provinsi") or None
    if kode is None:
        return None
    satker = db.session.scalar(select(Satker).where(Satker.kode == kode, Satker.tingkat == Tingkat.PROVINSI))
    return visible_satker_or_404(satker)


def _rekap() -> rekap.Rekap:
    return rekap.rekap(db.session, current_user, _tahun(), _provinsi(), request.args.get("urut") or None,
                       request.args.get("arah") == "turun")


@bp.get("/evaluasi/rekap")
@gated
def halaman():
    data = _rekap()
    pilihan = db.session.execute(select(Satker.kode, Satker.nama).where(
        Satker.tingkat == Tingkat.PROVINSI, scoping.satker_filter(current_user)).order_by(Satker.path)).all()
    return render_template("evaluasi/rekap.html", r=data, provinsi=request.args.get("provinsi") or "",
                           label_status={s: s.label for s in StatusEvaluasi},
                           urut=request.args.get("urut") or "", turun=request.args.get("arah") == "turun",
                           pilihan_provinsi=pilihan, semua_predikat=SEMUA_PREDIKAT)


@bp.get("/evaluasi/rekap.xlsx")
@gated
def unduh():
    data = _rekap()
    return kirim_berkas(rekap_evaluasi.rekap_xlsx(data), rekap_evaluasi.nama_berkas(data, request.args.get("provinsi")),
                        XLSX_MIMETYPE)
