"""Demo accounts and documents for a newcomer's first look (``sakip demo``)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import accounts, otp
from tenants.people import Peran, Subbagian, User
from workflow.seeds import RingkasanDokumen, load_demo_documents, load_demo_jadwal, load_demo_serapan

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
    result = [DemoAccount("admin.ri", "Administrator KPU RI", "RI", Peran.ADMIN)]
    for kode, short in REVIEWED_PROVINCES.items():
        result.append(DemoAccount(f"reviewer.{short}", f"Reviewer {short.title()}", kode, Peran.REVIEWER))
    # Jawa Timur's PK Komisi is the demo's cascade (workflow.seeds.load_demo_cascade).
    result.append(DemoAccount("jatim.ketua", "Ketua Jatim", "35", Peran.KETUA))
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
    load_demo_serapan(session)
    return result
