"""What an e-mail says: text and HTML, in the recipient's language (``tenants.teks``).

The notifications carry their title and text as they were written for that person (in
their language, ``penerima``); the frame around them (greeting, link, footer) is written
here when the message is sent.
"""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from markupsafe import Markup

from tenants.teks import _, dalam_bahasa, ngettext
from workflow.notifikasi.models import JenisSurat, Notifikasi, SuratKeluar


def _tautan(alamat_situs: str | None, jalan: str | None) -> str | None:
    if not jalan:
        return None
    return (alamat_situs or "").rstrip("/") + jalan if alamat_situs else jalan


def _subjek(surat: SuratKeluar, butir: list[Notifikasi]) -> str:
    if surat.jenis is JenisSurat.SATU and butir:
        return butir[0].judul
    return ngettext("Ringkasan harian SAKIP KPU: %(n)s pemberitahuan", "Ringkasan harian SAKIP KPU: %(n)s pemberitahuan",
                    len(butir), n=len(butir))


def _teks(nama: str, butir: list[Notifikasi], alamat_situs: str | None) -> str:
    bagian = [_("Yth. %(nama)s,", nama=nama), ""]
    for n in butir:
        bagian += [n.judul, n.isi]
        if link := _tautan(alamat_situs, n.tautan):
            bagian.append(_("Buka: %(tautan)s", tautan=link))
        bagian.append("")
    bagian += ["-- ", _("SAKIP KPU. Atur pemberitahuan Anda di %(tautan)s",
                       tautan=_tautan(alamat_situs, "/akun/notifikasi"))]
    return "\n".join(bagian) + "\n"


def _html(nama: str, butir: list[Notifikasi], alamat_situs: str | None, bahasa: str) -> str:
    bagian = [Markup("<p>%s</p>") % _("Yth. %(nama)s,", nama=nama)]
    for n in butir:
        bagian.append(Markup("<h2 style=\"font-size:16px\">%s</h2><p>%s</p>") % (n.judul, n.isi))
        if link := _tautan(alamat_situs, n.tautan):
            bagian.append(Markup('<p><a href="%s">%s</a></p>') % (link, _("Buka di SAKIP KPU")))
    pengaturan = _tautan(alamat_situs, "/akun/notifikasi")
    bagian.append(Markup('<hr><p style="color:#666;font-size:12px">%s <a href="%s">%s</a></p>')
                  % (_("SAKIP KPU."), pengaturan, _("Atur pemberitahuan Anda")))
    return str(Markup('<!doctype html><html lang="%s"><body>') % bahasa + Markup("").join(bagian)
               + Markup("</body></html>"))


def tulis(surat: SuratKeluar, butir: list[Notifikasi], *, nama: str, bahasa: str, pengirim: str,
          alamat_situs: str | None) -> EmailMessage:
    """The message for one outbox row: a text part and an HTML alternative."""
    with dalam_bahasa(bahasa):
        pesan = EmailMessage()
        pesan["Subject"] = _subjek(surat, butir)
        pesan["From"] = pengirim
        pesan["To"] = surat.alamat
        pesan["Date"] = formatdate(localtime=False)
        pesan["Message-ID"] = make_msgid("sakip")
        pesan["Content-Language"] = bahasa
        pesan["X-SAKIP-Surat"] = str(surat.id)
        pesan.set_content(_teks(nama, butir, alamat_situs))
        pesan.add_alternative(_html(nama, butir, alamat_situs, bahasa), subtype="html")
    return pesan
