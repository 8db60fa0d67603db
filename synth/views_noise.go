package synth

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The corruption tables of the agency views. The keyboard and OCR tables are
// those of pseudopeople (Institute for Health Metrics and Evaluation,
// BSD-3-Clause; shared/data/linkage/noise, whose licence names the
// copyright holder), copied here so that generation reads no files; a test
// checks them against the shared copies when those are present. The
// nicknames take pseudopeople's for the English given names of the class and
// add the Spanish hipocorísticos clerks heard from Central American
// families.

// qwertyNeighbours are the keys next to each key, on a QWERTY keyboard for
// letters and on a numeric keypad for digits (pseudopeople's
// qwerty_errors.yaml). Upper-case letters have the upper-case neighbours.
var qwertyNeighbours = map[byte]string{
	'q': "was", 'w': "qeasd", 'e': "wrsdf", 'r': "etdfg", 't': "ryfgh", 'y': "tughj", 'u': "yihjk",
	'i': "uojkl", 'o': "ipkl", 'p': "ol", 'a': "qwszx", 's': "qweadzxc", 'd': "wersfxcv",
	'f': "ertdgcvb", 'g': "rtyfhvbn", 'h': "tyugjbnm", 'j': "yuihknm", 'k': "uiojlm", 'l': "iopk",
	'z': "asx", 'x': "asdzc", 'c': "sdfxv", 'v': "dfgcb", 'b': "fghvn", 'n': "ghjbm", 'm': "hjkn",
	'7': "845", '8': "79456", '9': "856", '4': "78512", '5': "78946123", '6': "89523",
	'1': "4520", '2': "456130", '3': "562", '0': "12",
}

// ocrConfusions are the characters an OCR engine reads as others
// (pseudopeople's ocr_errors.csv): each pair is the true text, then what was
// read. Matching is case-sensitive, as in the table.
var ocrConfusions = [][2]string{
	{"5", "S"}, {"5", "s"}, {"2", "Z"}, {"2", "z"}, {"1", "|"}, {"6", "G"}, {"g", "9"}, {"q", "9"},
	{"q", "4"}, {"B", "8"}, {"A", "4"}, {"0", "o"}, {"0", "O"}, {"m", "n"}, {"u", "v"}, {"U", "V"},
	{"Y", "V"}, {"y", "v"}, {"D", "O"}, {"Q", "O"}, {"F", "P"}, {"E", "F"}, {"l", "J"}, {"j", "i"},
	{"l", "1"}, {"g", "q"}, {"h", "b"}, {"l", "I"}, {"i", "'l"}, {"13", "B"}, {"12", "R"}, {"17", "n"},
	{"iii", "m"}, {"cl", "d"}, {"w", "vv"}, {"ri", "n"}, {"k", "lc"}, {"lo", "b"}, {"IJ", "U"},
	{"lJ", "U"}, {"LI", "U"}, {"I-I", "H"}, {"l>", "b"}, {"1>", "b"}, {"l<", "k"}, {"1<", "k"},
	{"m", "rn"}, {"l", "|"}, {"i", ":"},
}

// nicknames are the short forms clerks wrote for the given names of the
// class. Keys are spelled as in the class's tables.
var nicknames = map[string][]string{
	// Spanish.
	"José": {"Pepe", "Chepe", "Pepito"}, "Francisco": {"Pancho", "Paco", "Chico"},
	"Guadalupe": {"Lupe", "Lupita"}, "Jesús": {"Chuy", "Chucho"}, "Juan": {"Juancho", "Juanito"},
	"Luis": {"Lucho", "Wicho"}, "Carlos": {"Charly", "Calo"}, "Manuel": {"Manolo", "Meme"},
	"Emanuel": {"Manu", "Meme"}, "Antonio": {"Toño", "Tony"}, "Alberto": {"Beto"},
	"Rigoberto": {"Rigo", "Beto"}, "Eduardo": {"Lalo"}, "Enrique": {"Quique", "Kike"},
	"Rafael": {"Rafa"}, "Fernando": {"Nando", "Fer"}, "Fernanda": {"Fer", "Nanda"},
	"Santiago": {"Chago", "Santi"}, "Gabriel": {"Gabo", "Gabe"}, "Gabriela": {"Gaby"},
	"Ricardo": {"Richi", "Ricky"}, "Armando": {"Mando"}, "Rolando": {"Rolo"}, "Domingo": {"Mingo"},
	"Pedro": {"Perico"}, "Mateo": {"Teo"}, "Rodrigo": {"Rodri", "Rigo"}, "Julio": {"Julito"},
	"Daniel": {"Dani", "Danny"}, "Daniela": {"Dani"}, "Alexander": {"Alex"}, "Alexis": {"Alex"},
	"Cristian": {"Cris"}, "Cristina": {"Cris", "Tina"}, "Samuel": {"Samy", "Sam"},
	"Isabel": {"Chabela", "Isa"}, "María": {"Mari"}, "Ana": {"Anita"}, "Rosa": {"Rosita"},
	"Margarita": {"Magui", "Rita"}, "Leticia": {"Lety"}, "Yolanda": {"Yoli"}, "Juana": {"Juanita"},
	"Sofía": {"Sofi"}, "Valeria": {"Vale"}, "Camila": {"Cami"}, "Estefany": {"Fany"},
	"Claudia": {"Clau"}, "Patricia": {"Paty", "Pat", "Tricia"}, "Silvia": {"Silvi"},
	"Lucía": {"Lucy"}, "Marisol": {"Sol"}, "Xiomara": {"Xio"}, "Andrea": {"Andy"},
	"Wilmer": {"Wil"}, "Elías": {"Eli"}, "Efraín": {"Efra"}, "Ángel": {"Angelito"},
	"Óscar": {"Oscarito"}, "Miguel": {"Migue"}, "Alejandro": {"Alex", "Jando"},
	"Jonathan": {"Jonny", "Jhony"}, "Josué": {"Josu"}, "Mario": {"Marito"},
	// English given names of the class, from pseudopeople's nicknames.csv.
	"Abigail": {"Abby", "Gail"}, "Anderson": {"Andy"}, "Ashley": {"Ash"}, "David": {"Dave", "Davey"},
	"Edwin": {"Eddie", "Ed"}, "Édgar": {"Eddie", "Ed"}, "Elizabeth": {"Liz", "Betty", "Beth"},
	"Emily": {"Emmy"}, "Evelyn": {"Eve"}, "Franklin": {"Frank"}, "Henry": {"Hank"},
	"Jefferson": {"Jeff"}, "Jennifer": {"Jenny", "Jen"}, "Katherine": {"Kathy", "Kate"},
	"Kimberly": {"Kim"}, "Lester": {"Les"}, "Marvin": {"Marv"}, "Melvin": {"Mel"},
	"Nicole": {"Nikki"}, "Steven": {"Steve"}, "Walter": {"Walt"}, "Wesley": {"Wes"},
	"Allan": {"Al"}, "Isaac": {"Ike"}, "Gloria": {"Glory"}, "Miriam": {"Mimi"},
}

// mayanWords are the given names and surnames of Mayan origin in the class
// whose spelling varies between the colonial orthography, the unified
// alphabet of the Academia de Lenguas Mayas and what an English speaker
// hears (Tum and Pop, spelled one way only, are left out). Surnames of
// Spanish origin that Mayan families carry are not here.
var mayanWords = func() map[string]bool {
	set := map[string]bool{}
	add := func(names []string) {
		for _, n := range names {
			for _, w := range strings.Fields(n) {
				if mayanChangeable(w) {
					set[w] = true
				}
			}
		}
	}
	add([]string{"Xicará", "Ixcoy"})
	add(mayanMale)
	add(mayanFemale)
	for _, l := range mayanLanguages {
		if l.v.code == "quc" || l.v.code == "kek" {
			add(l.v.surnames)
		}
	}
	return set
}()

// mayanRules rewrite a Mayan word the way other orthographies or other ears
// spell it. Each changes the word or returns it as it was.
var mayanRules = []func(string) string{
	// Glottal stops dropped: Tz'unun, B'alam, K'iche' as Tzunun, Balam, Kiche.
	func(s string) string { return strings.ReplaceAll(s, "'", "") },
	// Tz written Ts: Tzul, Tsul.
	tzTs.Replace,
	// X (sh) written Sh: Xuc, Shuc; Ixchel, Ishchel.
	xSh.Replace,
	// Q written K: Quiej, Kiej; Q'anil, K'anil.
	qK.Replace,
	// C (k) written K before a, o, u and at the end: Caal, Kaal; Chuc, Chuk.
	func(s string) string { return swapHardC(s, 'c', 'k') },
	// K written C, the colonial spelling: Kan, Can; Kawok, Cawok.
	func(s string) string { return swapHardC(s, 'k', 'c') },
	// J written H inside a word: Ajpu, Ahpu; Ajanel, Ahanel.
	func(s string) string {
		if len(s) < 2 {
			return s
		}
		return s[:1] + strings.ReplaceAll(s[1:], "j", "h")
	},
}

var (
	tzTs = strings.NewReplacer("Tz", "Ts", "tz", "ts")
	xSh  = strings.NewReplacer("X", "Sh", "x", "sh")
	qK   = strings.NewReplacer("Que", "Ke", "Qui", "Ki", "que", "ke", "qui", "ki", "Q", "K", "q", "k")
)

// swapHardC replaces the letter from (either case) by to where it sounds k:
// before a, o or u, or at the end of the word, and not in "ch".
func swapHardC(s string, from, to byte) string {
	b := []byte(s)
	changed := false
	for i := range b {
		c := b[i] | 0x20
		if c != from || (i+1 < len(b) && b[i+1]|0x20 == 'h') {
			continue
		}
		if i+1 == len(b) || strings.IndexByte("aou", b[i+1]|0x20) >= 0 {
			if b[i] == c {
				b[i] = to
			} else {
				b[i] = to &^ 0x20
			}
			changed = true
		}
	}
	if !changed {
		return s
	}
	return string(b)
}

// stripAccents removes accents and tildes and keeps everything else, the
// apostrophes of Mayan names included.
func stripAccents(s string) string {
	if !hasAccent(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := accentBase[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasAccent(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if _, ok := accentBase[r]; ok {
					return true
				}
			}
			return false
		}
	}
	return false
}

var accentBase = func() map[rune]rune {
	m := map[rune]rune{}
	for _, p := range []string{"áa", "àa", "âa", "ãa", "äa", "ée", "èe", "êe", "ëe", "íi", "ìi", "îi", "ïi",
		"óo", "òo", "ôo", "õo", "öo", "úu", "ùu", "ûu", "üu", "ñn", "çc"} {
		rs := []rune(p)
		m[rs[0]] = rs[1]
		m[unicode.ToUpper(rs[0])] = unicode.ToUpper(rs[1])
	}
	return m
}()

// countryNames are the names the agencies wrote for the class's countries.
var countryNames = map[string]string{
	"GT": "Guatemala", "HN": "Honduras", "SV": "El Salvador", "MX": "Mexico", "BR": "Brazil",
	"EC": "Ecuador", "NI": "Nicaragua", "CO": "Colombia", "PE": "Peru", "CU": "Cuba",
}

// languageNames are the ways the asylum office wrote the languages of the
// interviews, one of which is drawn per record.
var languageNames = map[string][]string{
	"es":  {"Spanish", "Spanish", "Spanish", "Español"},
	"en":  {"English"},
	"pt":  {"Portuguese"},
	"quc": {"K'iche'", "Quiche", "Quiché", "Kiche"},
	"mam": {"Mam", "Mam", "Mame"},
	"kjb": {"Q'anjob'al", "Kanjobal", "Qanjobal"},
	"kek": {"Q'eqchi'", "Kekchi", "Kekchí", "Qeqchi"},
}

// placeCodes are the station codes in CBP's event ids, by sector or port.
var placeCodes = map[string]string{
	"Rio Grande Valley Sector": "RGV", "El Paso Sector": "EPT", "Tucson Sector": "TCA",
	"Yuma Sector": "YUM", "San Diego Sector": "SDC", "El Centro Sector": "ELC",
	"Laredo Sector": "LRT", "Del Rio Sector": "DRT", "Big Bend Sector": "BBT",
	"San Ysidro Port of Entry": "SYS", "Otay Mesa Port of Entry": "OTM", "Calexico Port of Entry": "CXL",
	"Nogales Port of Entry": "NOG", "San Luis Port of Entry": "SLU", "Paso del Norte Port of Entry, El Paso": "PDN",
	"Hidalgo Port of Entry": "HID", "Brownsville Gateway Port of Entry": "BRO", "Laredo Port of Entry": "LAR",
	"Eagle Pass Port of Entry": "EGP",
}

// courtOf is the immigration court that heard the cases of persons held or
// living in a state.
var courtOf = map[string]string{
	"TX": "SAN ANTONIO", "AZ": "ELOY", "CA": "SAN DIEGO", "NM": "OTERO", "WA": "TACOMA",
	"OR": "PORTLAND", "IL": "CHICAGO", "NY": "NEW YORK", "FL": "MIAMI", "MI": "DETROIT",
	"MD": "BALTIMORE", "NJ": "NEWARK", "GA": "ATLANTA", "NC": "CHARLOTTE", "VA": "ARLINGTON",
	"MA": "BOSTON", "LA": "NEW ORLEANS", "TN": "MEMPHIS", "CO": "DENVER", "UT": "SALT LAKE CITY",
	"NV": "LAS VEGAS", "PA": "PHILADELPHIA", "OH": "CLEVELAND", "MN": "FORT SNELLING", "NE": "OMAHA",
	"RI": "BOSTON",
}
