from importlib import resources

from sqlalchemy import func, select

from tenants import hierarchy
from tenants.satker import Satker, Tingkat


def _by_kode(db, kode):
    return db.session.scalar(select(Satker).where(Satker.kode == kode))


def test_reference_data_loads_all_553_offices_with_their_official_names(db):
    result = hierarchy.load_hierarchy(db.session)
    db.session.commit()

    assert result.created == 553
    counts = dict(db.session.execute(select(Satker.tingkat, func.count()).group_by(Satker.tingkat)).all())
    assert counts == {Tingkat.PUSAT: 1, Tingkat.PROVINSI: 38, Tingkat.KABKOTA: 514}
    names = {s.kode: s.nama for s in db.session.scalars(select(Satker))}
    assert names["RI"] == "KPU RI"
    assert names["35"] == "KPU Provinsi Jawa Timur"
    assert names["11"] == "KIP Aceh"
    assert names["35.79"] == "KPU Kota Batu"
    assert names["63.11"] == "KPU Kabupaten Balangan"
    assert names["61.12"] == "KPU Kabupaten Kubu Raya"
    assert names["11.01"] == "KIP Kabupaten Aceh Selatan"
    batu = _by_kode(db, "35.79")
    assert batu.parent.kode == "35" and batu.parent.parent.kode == "RI"
    assert batu.path == "/RI/35/35.79/"


def test_loading_twice_changes_nothing(db):
    hierarchy.load_hierarchy(db.session)
    db.session.commit()
    again = hierarchy.load_hierarchy(db.session)
    db.session.commit()

    assert (again.created, again.updated, again.unchanged) == (0, 0, 553)
    assert db.session.scalar(select(func.count()).select_from(Satker)) == 553


def test_a_renamed_office_is_corrected_on_the_next_load(db):
    hierarchy.load_hierarchy(db.session)
    _by_kode(db, "35.79").nama = "salah ketik"
    db.session.commit()

    result = hierarchy.load_hierarchy(db.session)

    assert result.updated == 1
    assert _by_kode(db, "35.79").nama == "KPU Kota Batu"


def test_jawa_timur_has_38_kabupaten_kota(db):
    hierarchy.load_hierarchy(db.session)
    jatim = _by_kode(db, "35")

    below = db.session.scalars(hierarchy.subtree(jatim, include_self=False)).all()

    assert len(below) == 38
    assert all(s.tingkat is Tingkat.KABKOTA and s.parent_id == jatim.id for s in below)


def test_ancestors_and_subtree_each_take_one_statement(db, tree, count_statements):
    batu, jatim, ri = tree["35.79"], tree["35"], tree["RI"]
    db.session.expire_all()
    batu, jatim = db.session.get(Satker, batu.id), db.session.get(Satker, jatim.id)

    with count_statements() as counter:
        chain = db.session.scalars(hierarchy.ancestors(batu)).all()
    assert counter.count == 1
    assert [s.kode for s in chain] == ["RI", "35", "35.79"]

    with count_statements() as counter:
        below = db.session.scalars(hierarchy.subtree(jatim)).all()
    assert counter.count == 1
    assert [s.kode for s in below] == ["35", "35.73", "35.79"]

    assert [s.kode for s in db.session.scalars(hierarchy.subtree(ri))] == [
        "RI", "35", "35.73", "35.79", "51", "51.03", "51.71",
    ]


def test_reference_data_travels_with_its_odbl_attribution():
    data = resources.files("tenants") / "data"
    attribution = (data / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "idn-area-data 4.0.1" in attribution and "Open Database License" in attribution
    assert "Open Database License" in (data / "LICENSE-ODbL.md").read_text(encoding="utf-8")
