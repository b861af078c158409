"""The benchmark on paper (PDF, Word, Excel): the frozen dict of ``queries.perbandingan`` as
rows of Indonesian text, the official language of a signed report."""
from __future__ import annotations

JUDUL = "Perbandingan capaian dengan satker lain"
BELUM_CUKUP = "data belum cukup"
KUARTIL = {4: "kuartil teratas", 3: "di atas median", 2: "di bawah median", 1: "kuartil terbawah"}


def posisi(k: dict) -> str:
    """Where the office stands in a group: its quarter, and its rank when its data counts."""
    if not k["cukup"] or k["kuartil"] is None:
        return "-"
    teks = KUARTIL[k["kuartil"]]
    return teks + (f", peringkat {k['peringkat']} dari {k['n']}" if k["peringkat"] else "")


def kelompok(data: dict) -> list[tuple[str, str]]:
    """The groups compared, (key, heading): the province's (for a kabupaten/kota) and the country's."""
    nasional = ("nasional", "Nasional (semua KPU Provinsi)" if data["tingkat"] == "provinsi"
                else "Nasional (semua KPU Kabupaten/Kota)")
    return ([("provinsi", f"Wilayah {data['provinsi']}")] if data["provinsi"] else []) + [nasional]


def sel(k: dict) -> list[str]:
    """n, Q1, median, Q3 and the position of one group; too few offices: the reason, no quartile."""
    if not k["cukup"]:
        return [str(k["n"]), BELUM_CUKUP, "-", "-", "-"]
    return [str(k["n"]), k["q1_teks"], k["median_teks"], k["q3_teks"], posisi(k)]


def baris(data: dict) -> list[list[str]]:
    """One row per indikator: no, indikator, the office's capaian, then each group's cells."""
    return [[str(n), b["uraian"], b["capaian"], *[c for key, _judul in kelompok(data) for c in sel(b[key])]]
            for n, b in enumerate(data["baris"], start=1)]


KOLOM_KELOMPOK = ["n", "Q1", "Median", "Q3", "Posisi"]


def kelompok_judul(data: dict) -> list[str]:
    return [judul for _key, judul in kelompok(data)]


def catatan(data: dict) -> str:
    return (f"Capaian satker lain dihitung dari PK yang telah ditandatangani dan periode yang telah diverifikasi; "
            f"yang ditampilkan hanya jumlah satker (n) dan kuartilnya. Kurang dari {data['minimum']} satker: "
            f"{BELUM_CUKUP}.")
