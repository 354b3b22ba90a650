"""Invented people: names that follow a region's traditions, and NIK-shaped numbers.

A name is a given name (by religion and sex) and a second name from the region's name
traditions, picked at random: no real person is meant.
"""

import datetime
import random

from rutan.inmates.choices import Religion

RELIGIONS = list(Religion.values)  # the order of places.Region.religions


def words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


GIVEN = {
    ("islam", "L"): words(
        "Ahmad Muhammad Abdul Agus Budi Dedi Eko Fajar Hendra Imam Joko Rizky Slamet "
        "Taufik Wahyu Yusuf Zainal Arif Bayu Dimas Fikri Hadi Irfan Rudi Sandi Teguh Andi "
        "Rahmat Syamsul Hasan Iwan Anwar Ilham Haris Junaidi Mulyadi Saiful Ridwan Firman "
        "Hamdan"
    ),
    ("islam", "P"): words(
        "Siti Nur Ani Rina Sari Dewi Fitri Indah Lina Maya Nia Putri Ratna Sinta Tuti "
        "Wulan Yuni Aisyah Fatimah Nurul Rahma Dian Eka Yanti Halimah"
    ),
    ("kristen", "L"): words(
        "Yohanes Daniel Samuel Yakobus Robert Hendrik Frans Simon Tomas Markus Yosua "
        "Andreas Melkianus Yermias Obaja Marthen Elias Filipus"
    ),
    ("kristen", "P"): words(
        "Ester Debora Ribka Natalia Yohana Marlina Selvi Magdalena Novita Rut Grace Lidia"
    ),
    ("katolik", "L"): words(
        "Agustinus Yosef Kornelis Stefanus Paulus Benediktus Vinsensius Fransiskus Petrus "
        "Antonius Dominikus Aloysius Gregorius Hironimus Kristoforus"
    ),
    ("katolik", "P"): words(
        "Maria Elisabet Theresia Agnes Yustina Margaretha Katarina Veronika Rosalina "
        "Skolastika Yasinta"
    ),
    ("hindu", "L"): words(
        "I Wayan|I Made|I Nyoman|I Ketut|I Gede|I Putu|I Komang|I Kadek",
        sep="|",
    ),
    ("hindu", "P"): words(
        "Ni Wayan|Ni Made|Ni Nyoman|Ni Ketut|Ni Putu|Ni Komang|Ni Kadek",
        sep="|",
    ),
    ("buddha", "L"): words("Hendra Rudy Susanto Wilson Jimmy Hartono Kelvin Halim Sugianto"),
    ("buddha", "P"): words("Fenny Lili Meiliana Susi Lenny Yenny Linda Mei"),
}
GIVEN[("konghucu", "L")] = GIVEN[("buddha", "L")]
GIVEN[("konghucu", "P")] = GIVEN[("buddha", "P")]
GIVEN[("lainnya", "L")] = GIVEN[("kristen", "L")]
GIVEN[("lainnya", "P")] = GIVEN[("kristen", "P")]

SECOND = {
    "jawa": "Santoso Nugroho Setiawan Prasetyo Wibowo Susanto Hartono Purnomo Kurniawan Saputra "
    "Pratama Wijaya Hidayat Gunawan Sutrisno Widodo Suryadi Riyanto Utomo Handoko",
    "sunda": "Permana Hidayat Sudrajat Kusnadi Supriatna Ruhiyat Suherman Rosadi Gumilar "
    "Nurdiansyah Mulyana Hermawan",
    "betawi": "Saputra Ramadhan Hasanudin Syahrial Firdaus Maulana",
    "madura": "Hosnan Fathurrahman Zubairi Mahfud Syaiful Rofiq",
    "batak": "Siregar Nasution Harahap Lubis Sembiring Simanjuntak Panjaitan Sitorus Ginting "
    "Tarigan Hutagalung Manurung Sinaga Pardede Situmorang Simatupang Pasaribu Silalahi",
    "minang": "Chaniago Piliang Koto Tanjung Sikumbang Syahputra Rahmadi Efendi Yusra Amril",
    "melayu": "Syahputra Rahman Hasibuan Effendi Ramli Zulkifli Azhar Junaidi Syahrial Hamid",
    "aceh": "Abdullah Ibrahim Usman Ismail Mahmud Razali Zulfikar Fadhli Saifullah Munir",
    "tionghoa": "Wijaya Tanoto Halim Salim Gunawan Santoso Lim Tan Kurniadi Setiadi",
    "bali": "Sudarsana Suarjana Artawan Wirawan Sukadana Mahendra Antara Suwirya Adnyana "
    "Darmawan Sukerta Widiana",
    "sasak": "Hardiansyah Zulkarnain Sahnan Rusdi Kamaruddin Lalu",
    "bima": "Syarifuddin Abdurrahman Nurdin Ilyas Jamaluddin",
    "flores": "Jehadu Nggarang Jelahu Nabit Djehaut Lado Ratu Bulu Nong Goa Wangge Jemarut "
    "Ndamung Sanga",
    "timor": "Manek Bria Seran Ndun Nahak Tefa Taek Benu Kase Bani",
    "dayak": "Lingga Ungkal Dohong Anyi Kuhing Ajang Lawing Bilung",
    "banjar": "Rahman Noor Saberan Ramli Anang Fauzan Mahyudin Hairani Syarkawi",
    "bugis": "Baso Daeng Latif Mappa Rahman Syamsuddin Hamzah Arsyad Sulaiman Amiruddin Tahir",
    "minahasa": "Rumengan Lumenta Wowor Tumbelaka Sondakh Pangemanan Mandagi Rondonuwu Kaunang",
    "gorontalo": "Hasan Mohamad Ismail Pakaya Dunggio Lihawa Abdullah",
    "kaili": "Lamarauna Tombolotutu Lasahido Labuna Dg Masiga",
    "mandar": "Sahabuddin Mustari Hamzah Rasyid Syahrir",
    "toraja": "Pasolang Rante Tandirerung Sampe Paembonan",
    "buton": "Hamiru Laode Wa Ode La Ode Samiun",
    "ambon": "Latuheru Pattinama Tuhumury Leiwakabessy Sahetapy Matulessy Wattimena Tutupoly",
    "ternate": "Umasangadji Hasan Abubakar Kadir Sabtu",
    "papua": "Wenda Kogoya Tabuni Yikwa Wonda Rumbiak Mandacan Kareth Ayomi Wenno Yoku",
}
SECOND = {culture: words(names) for culture, names in SECOND.items()}


def person_name(rng: random.Random, *, religion: str, sex: str, culture: str) -> str:
    """An invented name: a given name for the religion and sex, and a second name of the
    region's traditions (a Javanese second name reads as a given name, as in Java)."""
    given = rng.choice(GIVEN[(religion, sex)])
    if religion == "hindu" and culture != "bali":
        culture = "bali"
    return f"{given} {rng.choice(SECOND[culture])}"


def region_person(rng: random.Random, region, sex: str) -> tuple[str, str, str]:
    """(religion, name tradition, name) of someone from `region`."""
    religion = rng.choices(RELIGIONS, weights=region.religions)[0]
    culture = rng.choices(list(region.cultures), weights=list(region.cultures.values()))[0]
    return religion, culture, person_name(rng, religion=religion, sex=sex, culture=culture)


def nik(rng: random.Random, *, province: int, birth_date: datetime.date, sex: str) -> str:
    """A 16-digit NIK-shaped number: province, regency and district codes, the birth date
    (day + 40 for women) and a serial that is never 0000 (partners.validators.validate_nik)."""
    day = birth_date.day + (40 if sex == "P" else 0)
    return (
        f"{province:02d}{rng.randint(1, 30):02d}{rng.randint(1, 25):02d}"
        f"{day:02d}{birth_date:%m%y}{rng.randint(1, 9999):04d}"
    )


def phone(rng: random.Random) -> str:
    return f"08{rng.randint(11, 59)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
