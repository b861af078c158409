"""The home page and the office pages: where a user finds themselves in the hierarchy."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from tenants import hierarchy, scoping
from tenants.db import db
from tenants.satker import Satker
from webapp import tugas
from webapp.common import pilihan_saringan
from workflow.dokumen.queries import baca
from workflow.tinjauan.queries import Saringan, dokumen_satker_bawah
from workflow.evaluasi import policy as evaluasi_policy
from workflow.evaluasi import queries as evaluasi_queries
from webapp.gate import gated, visible_satker_or_404

bp = Blueprint("offices", __name__)


def _breadcrumb(satker: Satker) -> list[Satker]:
    return list(db.session.scalars(hierarchy.ancestors(satker)))


def _visible_children(satker: Satker) -> list[tuple[Satker, int]]:
    """Children the user may see, each with how many offices sit below it."""
    child = select(Satker.parent_id, func.count().label("n")).group_by(Satker.parent_id).subquery()
    rows = db.session.execute(
        select(Satker, func.coalesce(child.c.n, 0))
        .outerjoin(child, child.c.parent_id == Satker.id)
        .where(Satker.parent_id == satker.id, scoping.satker_filter(current_user))
        .order_by(Satker.kode)
    )
    return [(s, n) for s, n in rows]


@bp.get("/")
@gated
def home():
    # Most people see exactly the offices they hold (scoping tells from the memberships):
    # then the count needs no statement, nor the children when no child office is held.
    known = scoping.known_satker_ids(current_user)
    offices = []
    seen: set[int] = set()
    for membership in current_user.memberships:
        if membership.satker_id in seen:
            continue
        seen.add(membership.satker_id)
        satker = membership.satker
        anak_terlihat = known is None or any(m.satker.parent_id == satker.id for m in current_user.memberships)
        offices.append({
            "satker": satker,
            "jabatan": [m.jabatan for m in current_user.memberships if m.satker_id == satker.id],
            "breadcrumb": baca(db.session, hierarchy.ANCESTOR_ROWS, {"path": satker.path}),
            "children": _visible_children(satker) if anak_terlihat else [],
        })
    visible_total = len(known) if known is not None else db.session.scalar(
        select(func.count()).select_from(scoping.satkers(current_user).subquery()))
    return render_template("offices/home.html", offices=offices, visible_total=visible_total, tugas=tugas.daftar())


@bp.get("/satker/<kode>")
@gated
def detail(kode: str):
    satker = visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))
    children, saringan, dokumen = _visible_children(satker), Saringan.dari(request.args), None
    ada_anak = bool(children)
    if children and saringan.aktif:  # the offices below with a document that passes the filter
        dokumen = dokumen_satker_bawah(db.session, current_user, satker.id, saringan)
        children = [(child, below) for child, below in children if child.id in dokumen]
    return render_template(
        "offices/detail.html",
        satker=satker,
        ancestors=_breadcrumb(satker),
        children=children, saringan=saringan, dokumen=dokumen, ada_anak=ada_anak,
        pilihan=pilihan_saringan(tahun=range(date.today().year + 1, date.today().year - 5, -1)),
        can_manage=scoping.can(current_user, scoping.Aksi.KELOLA_AKUN, satker),
        can_review=scoping.can(current_user, scoping.Aksi.TINJAU, satker),
        tahun_evaluasi=evaluasi_queries.tahun_bawaan(db.session, satker) if evaluasi_policy.ada_evaluator(satker) else None,
    )
