"""The 33 regional offices (Kanwil Ditjenpas) with what shapes their facilities: the BPS
province code (NIK), timezone, how many facilities the region has at national size, how
overcrowded they run, who lives there (religion, name traditions) and towns for the
facilities' names. Facility counts and occupancy are rounded from published figures;
the towns are real places, the institutions in them are synthetic."""

from dataclasses import dataclass, field

from rutan.facilities.models import Timezone

from .people import words

WIB, WITA, WIT = Timezone.WIB, Timezone.WITA, Timezone.WIT

# Religion weights, in the order of inmates.choices.Religion
# (islam, kristen, katolik, hindu, buddha, konghucu, lainnya).
MUSLIM = (88, 6, 3, 0.5, 2, 0.3, 0.2)
URBAN = (80, 9, 4, 1, 5, 0.6, 0.4)


@dataclass(frozen=True, eq=False)
class Region:
    code: str
    province: str
    bps: int
    timezone: str
    facilities: int
    occupancy: tuple[float, float]
    cultures: dict[str, int]
    towns: list[str]
    religions: tuple = MUSLIM
    universities: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"Kanwil Ditjenpas {self.province}"


REGIONS = [
    Region(
        "aceh",
        "Aceh",
        11,
        WIB,
        25,
        (1.2, 2.0),
        {"aceh": 9, "melayu": 1},
        words(
            "Banda Aceh, Lhokseumawe, Langsa, Meulaboh, Takengon, Sigli, Bireuen, Lhoksukon, "
            "Kutacane, Tapaktuan, Calang, Blangkejeren, Idi, Kuala Simpang, Jantho, Singkil, "
            "Sinabang, Blangpidie, Subulussalam, Meureudu, Sabang",
            sep=", ",
        ),
        universities=["Universitas Syiah Kuala", "UIN Ar-Raniry Banda Aceh"],
    ),
    Region(
        "sumut",
        "Sumatera Utara",
        12,
        WIB,
        40,
        (1.8, 3.2),
        {"batak": 6, "melayu": 3, "jawa": 2, "tionghoa": 1},
        words(
            "Medan, Binjai, Pematangsiantar, Tebing Tinggi, Tanjung Balai, Sibolga, "
            "Padang Sidempuan, Gunungsitoli, Kabanjahe, Lubuk Pakam, Stabat, Rantau Prapat, "
            "Kisaran, Tarutung, Balige, Sidikalang, Pangururan, Panyabungan, Gunung Tua, "
            "Kota Pinang, Labuhan Deli, Aek Kanopan, Pangkalan Brandan, Sei Rampah, Limapuluh, "
            "Teluk Dalam, Dolok Sanggul, Sipirok, Porsea, Tanjung Pura, Perbaungan",
            sep=", ",
        ),
        religions=(62, 26, 8, 0.5, 3, 0.3, 0.2),
        universities=["Universitas Sumatera Utara", "Universitas Negeri Medan"],
    ),
    Region(
        "sumbar",
        "Sumatera Barat",
        13,
        WIB,
        20,
        (1.3, 2.2),
        {"minang": 9, "jawa": 1},
        words(
            "Padang, Bukittinggi, Payakumbuh, Solok, Sawahlunto, Padang Panjang, Pariaman, "
            "Batusangkar, Lubuk Sikaping, Painan, Muaro Sijunjung, Lubuk Basung, Pulau Punjung, "
            "Tuapejat, Simpang Empat, Muara Labuh, Sarilamak, Parik Malintang",
            sep=", ",
        ),
        religions=(97, 1.5, 1, 0.1, 0.3, 0.05, 0.05),
        universities=["Universitas Andalas", "Universitas Negeri Padang"],
    ),
    Region(
        "riau",
        "Riau",
        14,
        WIB,
        20,
        (2.0, 3.4),
        {"melayu": 6, "jawa": 2, "batak": 2},
        words(
            "Pekanbaru, Dumai, Bengkalis, Bangkinang, Pasir Pengaraian, Rengat, Tembilahan, "
            "Siak Sri Indrapura, Selat Panjang, Teluk Kuantan, Pangkalan Kerinci, Ujung Batu, "
            "Bagan Siapiapi, Bagan Batu, Duri, Perawang",
            sep=", ",
        ),
        universities=["Universitas Riau", "UIN Sultan Syarif Kasim Riau"],
    ),
    Region(
        "kepri",
        "Kepulauan Riau",
        21,
        WIB,
        12,
        (1.4, 2.4),
        {"melayu": 6, "jawa": 2, "tionghoa": 2},
        words(
            "Tanjungpinang, Batam, Tanjung Balai Karimun, Ranai, Daik Lingga, Tarempa, "
            "Tanjung Uban, Dabo Singkep, Barelang, Kijang",
            sep=", ",
        ),
        religions=URBAN,
        universities=["Universitas Maritim Raja Ali Haji", "Politeknik Negeri Batam"],
    ),
    Region(
        "jambi",
        "Jambi",
        15,
        WIB,
        12,
        (1.8, 3.0),
        {"melayu": 7, "jawa": 3},
        words(
            "Jambi, Sungai Penuh, Muara Bungo, Muara Bulian, Sarolangun, Bangko, Muara Tebo, "
            "Kuala Tungkal, Muara Sabak, Sengeti",
            sep=", ",
        ),
        universities=["Universitas Jambi", "UIN Sulthan Thaha Saifuddin Jambi"],
    ),
    Region(
        "sumsel",
        "Sumatera Selatan",
        16,
        WIB,
        20,
        (1.6, 2.6),
        {"melayu": 7, "jawa": 3},
        words(
            "Palembang, Prabumulih, Lubuk Linggau, Pagar Alam, Muara Enim, Lahat, Baturaja, "
            "Kayu Agung, Sekayu, Martapura, Muaradua, Tebing Tinggi Empat Lawang, "
            "Pangkalan Balai, Indralaya, Muara Beliti, Talang Ubi",
            sep=", ",
        ),
        universities=["Universitas Sriwijaya", "Politeknik Negeri Sriwijaya"],
    ),
    Region(
        "babel",
        "Kepulauan Bangka Belitung",
        19,
        WIB,
        8,
        (1.3, 2.2),
        {"melayu": 7, "tionghoa": 3},
        words(
            "Pangkalpinang, Sungailiat, Tanjung Pandan, Muntok, Koba, Toboali, Manggar", sep=", "
        ),
        religions=(89, 2, 1, 0.1, 6, 1.5, 0.4),
        universities=["Universitas Bangka Belitung"],
    ),
    Region(
        "bengkulu",
        "Bengkulu",
        17,
        WIB,
        9,
        (1.2, 2.0),
        {"melayu": 7, "jawa": 3},
        words(
            "Bengkulu, Curup, Manna, Argamakmur, Mukomuko, Bintuhan, Tais, Kepahiang, Tubei",
            sep=", ",
        ),
        universities=["Universitas Bengkulu"],
    ),
    Region(
        "lampung",
        "Lampung",
        18,
        WIB,
        17,
        (1.5, 2.5),
        {"jawa": 6, "melayu": 3, "sunda": 1},
        words(
            "Bandar Lampung, Metro, Kalianda, Kotabumi, Kota Agung, Liwa, Menggala, "
            "Gunung Sugih, Sukadana, Blambangan Umpu, Gedong Tataan, Pringsewu, Panaragan, Krui",
            sep=", ",
        ),
        universities=["Universitas Lampung", "Politeknik Negeri Lampung"],
    ),
    Region(
        "dki",
        "DKI Jakarta",
        31,
        WIB,
        17,
        (1.8, 3.0),
        {"jawa": 5, "sunda": 2, "batak": 1, "tionghoa": 1, "betawi": 2},
        words(
            "Jakarta Pusat, Jakarta Timur, Jakarta Utara, Jakarta Selatan, Jakarta Barat, "
            "Cipinang, Salemba, Pondok Bambu, Kepulauan Seribu",
            sep=", ",
        ),
        religions=URBAN,
        universities=["Universitas Indonesia", "Universitas Negeri Jakarta"],
    ),
    Region(
        "banten",
        "Banten",
        36,
        WIB,
        14,
        (1.6, 2.6),
        {"sunda": 6, "jawa": 3, "betawi": 1},
        words(
            "Serang, Tangerang, Cilegon, Pandeglang, Rangkasbitung, Tigaraksa, "
            "Tangerang Selatan, Malingping, Balaraja, Labuan",
            sep=", ",
        ),
        universities=["Universitas Sultan Ageng Tirtayasa"],
    ),
    Region(
        "jabar",
        "Jawa Barat",
        32,
        WIB,
        37,
        (1.2, 2.0),
        {"sunda": 9, "jawa": 1},
        words(
            "Bandung, Bogor, Bekasi, Depok, Cirebon, Sukabumi, Tasikmalaya, Garut, Karawang, "
            "Purwakarta, Subang, Indramayu, Kuningan, Majalengka, Sumedang, Ciamis, Banjar, "
            "Cianjur, Cibinong, Soreang, Cikarang, Pangandaran, Ngamprah, Cimahi, Gunung Sindur, "
            "Cibadak, Jelekong, Kebon Waru, Sukamiskin, Pelabuhan Ratu",
            sep=", ",
        ),
        universities=["Universitas Padjadjaran", "Universitas Pendidikan Indonesia"],
    ),
    Region(
        "jateng",
        "Jawa Tengah",
        33,
        WIB,
        45,
        (1.0, 1.6),
        {"jawa": 10},
        words(
            "Semarang, Surakarta, Magelang, Salatiga, Pekalongan, Tegal, Cilacap, Purwokerto, "
            "Kebumen, Purworejo, Wonosobo, Temanggung, Boyolali, Klaten, Sukoharjo, Wonogiri, "
            "Karanganyar, Sragen, Grobogan, Blora, Rembang, Pati, Kudus, Jepara, Demak, Kendal, "
            "Batang, Pemalang, Brebes, Slawi, Banjarnegara, Purbalingga, Ambarawa, "
            "Nusakambangan, Ungaran, Mungkid",
            sep=", ",
        ),
        religions=(96, 2, 1.5, 0.1, 0.3, 0.05, 0.05),
        universities=["Universitas Diponegoro", "Universitas Sebelas Maret"],
    ),
    Region(
        "diy",
        "Daerah Istimewa Yogyakarta",
        34,
        WIB,
        6,
        (0.8, 1.3),
        {"jawa": 10},
        words("Yogyakarta, Sleman, Bantul, Wates, Wonosari, Pakem", sep=", "),
        religions=(91, 3, 5, 0.1, 0.5, 0.1, 0.3),
        universities=["Universitas Gadjah Mada", "Universitas Negeri Yogyakarta"],
    ),
    Region(
        "jatim",
        "Jawa Timur",
        35,
        WIB,
        40,
        (1.5, 2.4),
        {"jawa": 8, "madura": 2},
        words(
            "Surabaya, Malang, Kediri, Blitar, Madiun, Mojokerto, Pasuruan, Probolinggo, Batu, "
            "Sidoarjo, Gresik, Lamongan, Tuban, Bojonegoro, Ngawi, Magetan, Ponorogo, Pacitan, "
            "Trenggalek, Tulungagung, Nganjuk, Jombang, Lumajang, Jember, Bondowoso, Situbondo, "
            "Banyuwangi, Bangkalan, Sampang, Pamekasan, Sumenep, Porong, Medaeng, Kraksaan, "
            "Kepanjen, Bangil",
            sep=", ",
        ),
        religions=(96, 2, 1, 0.3, 0.5, 0.1, 0.1),
        universities=["Universitas Airlangga", "Universitas Brawijaya"],
    ),
    Region(
        "bali",
        "Bali",
        51,
        WITA,
        7,
        (2.0, 3.2),
        {"bali": 8, "jawa": 2},
        words(
            "Denpasar, Singaraja, Tabanan, Gianyar, Bangli, Karangasem, Negara, Klungkung, "
            "Kerobokan",
            sep=", ",
        ),
        religions=(12, 3, 1.5, 82, 1, 0.1, 0.4),
        universities=["Universitas Udayana", "Universitas Pendidikan Ganesha"],
    ),
    Region(
        "ntb",
        "Nusa Tenggara Barat",
        52,
        WITA,
        10,
        (1.3, 2.2),
        {"sasak": 6, "bima": 3, "bali": 1},
        words(
            "Mataram, Bima, Praya, Selong, Sumbawa Besar, Dompu, Taliwang, Tanjung, Gerung, Woha",
            sep=", ",
        ),
        religions=(96, 0.5, 0.3, 3, 0.1, 0.05, 0.05),
        universities=["Universitas Mataram"],
    ),
    Region(
        "ntt",
        "Nusa Tenggara Timur",
        53,
        WITA,
        18,
        (0.8, 1.3),
        {"flores": 7, "timor": 3},
        words(
            "Kupang, Atambua, Soe, Kefamenanu, Ende, Maumere, Larantuka, Bajawa, Ruteng, "
            "Labuan Bajo, Waingapu, Waikabubak, Kalabahi, Lewoleba, Ba'a, Borong, Mbay, Betun, "
            "Tambolaka, Sabu",
            sep=", ",
        ),
        religions=(10, 36, 53, 0.2, 0.1, 0.05, 0.65),
        universities=["Universitas Nusa Cendana", "Universitas Katolik Widya Mandira"],
    ),
    Region(
        "kalbar",
        "Kalimantan Barat",
        61,
        WIB,
        16,
        (1.6, 2.6),
        {"melayu": 4, "dayak": 3, "tionghoa": 2, "jawa": 1},
        words(
            "Pontianak, Singkawang, Mempawah, Sanggau, Sintang, Putussibau, Ketapang, Sambas, "
            "Bengkayang, Ngabang, Sekadau, Nanga Pinoh, Sukadana, Sungai Raya",
            sep=", ",
        ),
        religions=(56, 12, 22, 0.1, 9, 0.7, 0.2),
        universities=["Universitas Tanjungpura"],
    ),
    Region(
        "kalteng",
        "Kalimantan Tengah",
        62,
        WIB,
        13,
        (1.5, 2.4),
        {"dayak": 5, "banjar": 3, "jawa": 2},
        words(
            "Palangka Raya, Sampit, Pangkalan Bun, Kuala Kapuas, Muara Teweh, Buntok, "
            "Kuala Kurun, Kasongan, Pulang Pisau, Tamiang Layang, Nanga Bulik, Sukamara, "
            "Kuala Pembuang, Puruk Cahu",
            sep=", ",
        ),
        religions=(73, 17, 2, 7, 0.3, 0.1, 0.6),
        universities=["Universitas Palangka Raya"],
    ),
    Region(
        "kalsel",
        "Kalimantan Selatan",
        63,
        WITA,
        15,
        (2.0, 3.2),
        {"banjar": 8, "jawa": 2},
        words(
            "Banjarmasin, Banjarbaru, Martapura, Kotabaru, Pelaihari, Marabahan, Rantau, "
            "Kandangan, Barabai, Amuntai, Tanjung, Paringin, Batulicin, Teluk Dalam Banjarmasin",
            sep=", ",
        ),
        religions=(97, 1, 0.5, 0.5, 0.5, 0.1, 0.4),
        universities=["Universitas Lambung Mangkurat"],
    ),
    Region(
        "kaltim",
        "Kalimantan Timur",
        64,
        WITA,
        16,
        (2.4, 3.6),
        {"banjar": 3, "bugis": 3, "jawa": 3, "dayak": 1},
        words(
            "Samarinda, Tenggarong, Bontang, Tanah Grogot, Sangatta, Penajam, Sendawar, "
            "Tanjung Redeb, Tarakan, Nunukan, Malinau, Tanjung Selor, Tideng Pale",
            sep=", ",
        ),
        religions=(86, 8, 4, 0.5, 0.8, 0.1, 0.6),
        universities=[
            "Universitas Mulawarman",
            "Politeknik Negeri Balikpapan",
            "Universitas Balikpapan",
            "Poltekkes Kemenkes Kalimantan Timur",
        ],
    ),
    Region(
        "sulut",
        "Sulawesi Utara",
        71,
        WITA,
        10,
        (1.0, 1.6),
        {"minahasa": 8, "gorontalo": 2},
        words(
            "Manado, Bitung, Tomohon, Kotamobagu, Tondano, Amurang, Airmadidi, Tahuna, "
            "Melonguane, Ratahan, Boroko",
            sep=", ",
        ),
        religions=(31, 63, 4.5, 0.5, 0.5, 0.2, 0.3),
        universities=["Universitas Sam Ratulangi"],
    ),
    Region(
        "gorontalo",
        "Gorontalo",
        75,
        WITA,
        5,
        (1.1, 1.8),
        {"gorontalo": 9, "bugis": 1},
        words("Gorontalo, Limboto, Marisa, Kwandang, Suwawa, Tilamuta", sep=", "),
        religions=(97, 1.5, 0.5, 0.5, 0.3, 0.1, 0.1),
        universities=["Universitas Negeri Gorontalo"],
    ),
    Region(
        "sulteng",
        "Sulawesi Tengah",
        72,
        WITA,
        11,
        (1.1, 1.8),
        {"bugis": 4, "kaili": 5, "jawa": 1},
        words(
            "Palu, Poso, Luwuk, Tolitoli, Donggala, Parigi, Ampana, Buol, Bungku, Kolonodale, "
            "Banggai",
            sep=", ",
        ),
        religions=(77, 17, 1, 4, 0.5, 0.1, 0.4),
        universities=["Universitas Tadulako"],
    ),
    Region(
        "sulbar",
        "Sulawesi Barat",
        76,
        WITA,
        5,
        (1.0, 1.6),
        {"mandar": 7, "bugis": 3},
        words("Mamuju, Majene, Polewali, Mamasa, Pasangkayu, Tobadak", sep=", "),
        religions=(83, 14, 1.5, 1, 0.2, 0.1, 0.2),
        universities=["Universitas Sulawesi Barat"],
    ),
    Region(
        "sulsel",
        "Sulawesi Selatan",
        73,
        WITA,
        26,
        (1.2, 1.9),
        {"bugis": 8, "toraja": 1, "jawa": 1},
        words(
            "Makassar, Parepare, Palopo, Maros, Pangkajene, Barru, Sidrap, Pinrang, Enrekang, "
            "Makale, Rantepao, Masamba, Malili, Sengkang, Watampone, Watansoppeng, Sinjai, "
            "Bulukumba, Bantaeng, Jeneponto, Takalar, Sungguminasa, Selayar, Belopa",
            sep=", ",
        ),
        religions=(89, 7, 1.5, 0.5, 0.3, 0.1, 1.6),
        universities=["Universitas Hasanuddin", "Universitas Negeri Makassar"],
    ),
    Region(
        "sultra",
        "Sulawesi Tenggara",
        74,
        WITA,
        12,
        (1.2, 1.9),
        {"bugis": 4, "buton": 5, "jawa": 1},
        words(
            "Kendari, Baubau, Kolaka, Raha, Unaaha, Andoolo, Lasusua, Rumbia, Pasarwajo, "
            "Wangi-Wangi, Labungkari",
            sep=", ",
        ),
        religions=(95, 2, 1, 1.5, 0.2, 0.1, 0.2),
        universities=["Universitas Halu Oleo"],
    ),
    Region(
        "maluku",
        "Maluku",
        81,
        WIT,
        10,
        (0.7, 1.2),
        {"ambon": 8, "buton": 2},
        words(
            "Ambon, Tual, Masohi, Namlea, Saumlaki, Dobo, Piru, Langgur, Namrole, Bula, Wahai",
            sep=", ",
        ),
        religions=(52, 40, 7, 0.2, 0.1, 0.1, 0.6),
        universities=["Universitas Pattimura"],
    ),
    Region(
        "malut",
        "Maluku Utara",
        82,
        WIT,
        7,
        (0.9, 1.5),
        {"ternate": 8, "ambon": 2},
        words("Ternate, Tidore, Tobelo, Labuha, Sanana, Jailolo, Weda, Maba", sep=", "),
        religions=(75, 22, 2, 0.1, 0.1, 0.1, 0.6),
        universities=["Universitas Khairun"],
    ),
    Region(
        "papua",
        "Papua",
        91,
        WIT,
        11,
        (0.7, 1.2),
        {"papua": 7, "jawa": 2, "bugis": 1},
        words(
            "Jayapura, Abepura, Merauke, Wamena, Nabire, Biak, Timika, Serui, Sarmi, Doyo Baru, "
            "Arso, Tanah Merah",
            sep=", ",
        ),
        religions=(25, 61, 13, 0.2, 0.2, 0.1, 0.5),
        universities=["Universitas Cenderawasih"],
    ),
    Region(
        "pabar",
        "Papua Barat",
        92,
        WIT,
        6,
        (0.8, 1.3),
        {"papua": 7, "jawa": 2, "bugis": 1},
        words("Manokwari, Sorong, Fakfak, Kaimana, Teminabuan, Bintuni, Waisai", sep=", "),
        religions=(38, 53, 8, 0.2, 0.2, 0.1, 0.5),
        universities=["Universitas Papua"],
    ),
]

# The facility the bench signs in to: its head, its size and its region are fixed.
ANCHOR = {
    "code": "rutan-balikpapan",
    "city": "Balikpapan",
    "region": "kaltim",
    "kind": "rutan",
    "facility_class": "IIA",
    "capacity": 306,
    "population": 1085,
    "address": "Jl. Jenderal Sudirman No. 533, Kelurahan Damai Bahagia, "
    "Kecamatan Balikpapan Selatan, Kota Balikpapan",
}
