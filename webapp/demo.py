"""Demo accounts and documents for a newcomer's first look (``sakip demo``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import accounts, otp
from tenants import penunjukan as acting
from tenants.people import Peran, Subbagian, User
from workflow.penunjukan import operations as penunjukan_ops
from workflow.seeds import (PEMBANDING_JATIM, RingkasanDokumen, load_demo_documents, load_demo_evaluasi,
                            load_demo_jadwal, load_demo_serapan)

DEMO_PASSWORD = "Demo-SAKIP-2024"
# FOR THE DEMO ONLY: the authenticator key of the demo admin and reviewers (TOTP is required
# for them), published in the README so that a newcomer can sign in. A real account enrols
# its own secret at its first sign-in.
DEMO_TOTP_SECRET = "DEMOSAKIPKPUDEMOSAKIPKPUDEMOSAKI"

DEMO_EMAIL_DOMAIN = "@demo.kpu.go.id"

KABKOTA = {"35.79": "batu", "63.11": "balangan", "61.12": "kuburaya"}
REVIEWED_PROVINCES = {"35": "jatim", "51": "bali", "63": "kalsel", "61": "kalbar"}
SUBBAG_ACCOUNTS = {
    Subbagian.KUL: "kul",
    Subbagian.RENDATIN: "rendatin",
    Subbagian.TEKNIS_HUPMAS: "teknis",
    Subbagian.HUKUM_SDM: "hukum",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    satker_kode: str
    peran: Peran
    subbagian: Subbagian | None = None


def demo_accounts() -> list[DemoAccount]:
    result = [DemoAccount("admin.ri", "Administrator KPU RI", "RI", Peran.ADMIN),
              DemoAccount("inspektorat.ri", "Inspektorat Utama KPU RI", "RI", Peran.INSPEKTORAT)]
    for kode, short in REVIEWED_PROVINCES.items():
        result.append(DemoAccount(f"reviewer.{short}", f"Reviewer {short.title()}", kode, Peran.REVIEWER))
    # Jawa Timur's PK Komisi is the demo's cascade (workflow.seeds.load_demo_cascade).
    result.append(DemoAccount("jatim.ketua", "Ketua Jatim", "35", Peran.KETUA))
    # Jawa Timur's offices that report TW I beside Kota Batu's, for its LKj's benchmark
    # (workflow.seeds.load_demo_banding): a Ketua each, who signs and reports.
    for kode, (short, _realisasi) in PEMBANDING_JATIM.items():
        result.append(DemoAccount(f"{short}.ketua", f"Ketua {short.title()}", kode, Peran.KETUA))
    for kode, short in KABKOTA.items():
        result.append(DemoAccount(f"{short}.ketua", f"Ketua {short.title()}", kode, Peran.KETUA))
        result.append(DemoAccount(f"{short}.sekretaris", f"Sekretaris {short.title()}", kode, Peran.SEKRETARIS))
        for subbagian, part in SUBBAG_ACCOUNTS.items():
            result.append(DemoAccount(
                f"{short}.{part}", f"Staf {subbagian.label.removeprefix('Subbagian ')} {short.title()}",
                kode, Peran.SUBBAG, subbagian,
            ))
    return result


@dataclass
class DemoResult:
    akun: list[tuple[DemoAccount, bool]] = field(default_factory=list)  # (account, created)
    dokumen: list[RingkasanDokumen] = field(default_factory=list)


def load_demo(session: Session) -> DemoResult:
    """Create the demo accounts, then the seven 2024 documents, that do not exist yet.

    Needs the offices of the full hierarchy (``sakip init``); flushes, the caller commits.
    """
    result = DemoResult()
    for account in demo_accounts():
        satker = accounts.find_satker(session, account.satker_kode)
        user = session.scalar(select(User).where(User.username == account.username))
        created = user is None
        if created:
            user = accounts.create_user(session, account.username, account.full_name, satker, DEMO_PASSWORD)
        accounts.grant(session, user, satker, account.peran, subbagian=account.subbagian)
        # The demo's steps notify whoever acts next (workflow.notifikasi): the bell has a count,
        # and with SAKIP_SMTP_* set the mail goes to these (non-existent) addresses.
        if not user.email:
            user.email = f"{account.username}{DEMO_EMAIL_DOMAIN}"
        if otp.required(user) and not user.totp_secret:
            user.totp_secret = DEMO_TOTP_SECRET
        result.akun.append((account, created))
    session.flush()
    result.dokumen = load_demo_documents(session)
    load_demo_jadwal(session)
    load_demo_acting_official(session)
    load_demo_serapan(session)
    load_demo_evaluasi(session)
    return result


# Kota Batu's Sekretaris has a Plh over the current year, so that a newcomer meets an acting
# official in force: on the office's page (Plh dan Plt) and on a document awaiting the
# Sekretaris's signature ("Dapat ditandatangani oleh Plh. Sekretaris ...").
DEMO_PLH = ("35.79", "batu.rendatin", Peran.SEKRETARIS, "001/SDM.12-ST/3579/{tahun}")


def load_demo_acting_official(session: Session) -> None:
    """Appoint the demo's Plh through the operation (audited, by ``admin.ri``), unless the
    position already has an appointment that year."""
    kode, username, peran, nomor = DEMO_PLH
    tahun = acting.hari_ini().year
    mulai, sampai = date(tahun, 1, 1), date(tahun, 12, 31)
    satker = accounts.find_satker(session, kode)
    if session.scalars(acting.bertumpuk(satker.id, peran, mulai, sampai)).first() is not None:
        return
    admin = session.scalar(select(User).where(User.username == "admin.ri"))
    pelaksana = session.scalar(select(User).where(User.username == username))
    penunjukan_ops.tunjuk(session, admin, satker, pelaksana, peran, acting.JenisPenunjukan.PLH, mulai, sampai,
                          nomor.format(tahun=tahun))
