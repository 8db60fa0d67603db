package linkage

import "testing"

// Spellings of one name that agents write for each other, which must share
// a key, each with the rule that makes them meet.
var phoneticMeet = [][2]string{
	{"Jiménez", "Ximénez"},     // X = J
	{"Jiménez", "Giménez"},     // G before I = J
	{"Xuc", "Shuc"},            // Mayan x = sh
	{"Xiloj", "Shiloj"},        // the same, inside a word
	{"Gonzalez", "Gonsales"},   // Z = S
	{"González", "Gonzales"},   // accents folded
	{"Hernández", "Ernandes"},  // silent H
	{"Yolanda", "Llolanda"},    // LL = Y
	{"Quiej", "Kiej"},          // QU before E = K
	{"Q'anjob'al", "Kanjobal"}, // apostrophe dropped, Q = K
	{"Kanjobal", "Canjobal"},   // C before A = K
	{"Q'eqchi'", "Kekchi"},     // and again
	{"Kaqchikel", "Cakchiquel"},
	{"Vásquez", "Basques"},    // V = B, QU before E = K
	{"Vasquez", "Vazquez"},    // Z = S, collapsed
	{"Cerrato", "Serrato"},    // C before E = S, RR = R
	{"Tzul", "Tsul"},          // TZ = TS
	{"Batz", "Bats"},          // at the end too
	{"Caal", "Cal"},           // double vowel collapsed
	{"Cux", "Kush"},           // C = K, X = SH
	{"Ixcoy", "Ixcoi"},        // final Y = I
	{"Nayeli", "Nayely"},      // and in given names
	{"Guadalupe", "Wadalupe"}, // GU before A = W
	{"Huehuetenango", "Wewetenango"},
	{"Pascual", "Pasqual"},
	{"Javier", "Xavier"},
	{"Cristian", "Christian"}, // CHR = K R
	{"Elizabeth", "Elisabet"}, // TH = T
	{"Katherine", "Catherine"},
	{"Smith", "Smyth"},
	{"Sanchez", "Sánches"},
	{"Ordóñez", "Ordonez"},
	{"Cecilia", "Sesilia"},
}

// Different names that must keep different keys.
var phoneticApart = [][2]string{
	{"Williams", "Guillermo"}, // W is not GU before I
	{"Xuc", "Chuc"},           // two Mayan surnames: x and ch are distinct
	{"Mario", "María"},        // vowels kept: names differ by sex
	{"Juan", "Juana"},
	{"Hernández", "Fernández"},
	{"Rosa", "Rosario"},
	{"Tzul", "Sul"},
	{"Pedro", "Petro"},
	{"Ramos", "Ramírez"},
	{"Lopez", "Lozano"},
	{"Luis", "Luisa"},
	{"Chen", "Shen"},
	{"Garcia", "Gracia"},
	{"h", "hh h"},  // silent-only words still differ by count
	{"Ανα", "Ελα"}, // other scripts are not reduced to nothing
	{"juan 2", "juan 3"},
}

func TestPhoneticMeet(t *testing.T) {
	for _, p := range phoneticMeet {
		if ka, kb := Phonetic(p[0]), Phonetic(p[1]); ka != kb {
			t.Errorf("%s → %s and %s → %s: want the same key", p[0], ka, p[1], kb)
		}
	}
}

func TestPhoneticApart(t *testing.T) {
	for _, p := range phoneticApart {
		if ka, kb := Phonetic(p[0]), Phonetic(p[1]); ka == kb {
			t.Errorf("%s and %s both → %s: want different keys", p[0], p[1], ka)
		}
	}
}

func TestPhoneticKeys(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jiménez", "JIMENES"},
		{"Guillermo", "GIYERMO"},
		{"Williams", "WIYIAMS"},
		{"Chuc", "CUK"},
		{"Miguel", "MIGEL"},
		{"Hall", "AL"},                           // LL not before a vowel is L
		{"Quan", "KUAN"},                         // QU before A keeps the U
		{"María de la Cruz", "MARIA DE LA KRUS"}, // one key per word
		{"h", "_"},
		{"", ""},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := Phonetic(tt.in); got != tt.want {
			t.Errorf("Phonetic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAppendPhoneticDoesNotAllocate(t *testing.T) {
	skipUnderRace(t)
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { AppendPhonetic(buf[:0], "maria guadalupe hernandez") }); n != 0 {
		t.Errorf("AppendPhonetic allocates %v times", n)
	}
}
