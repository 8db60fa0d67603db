package linkage

// Phonetic returns a phonetic key for a name, built for Spanish and for
// Mayan names written in Spanish-based spellings, so that spellings an
// agent may hear or type for the same name share a key: Jiménez, Ximénez
// and Giménez; Vásquez, Vázquez and Basques; Xuc and Shuc; Quiej and Kiej;
// Q'anjob'al, Kanjobal and Canjobal; Yolanda and Llolanda; Hernández and
// Ernandes. Each word of s gets its own key; keys are separated by one
// space. s should be folded (see Fold); anything else is folded first.
//
// The key is a string of capital letters; each stands for a sound class,
// applied left to right, the first matching rule winning:
//
//	vowels      A E I O U are kept, each as itself
//	Y           before a vowel: Y; otherwise the vowel I (Rey, Nayely)
//	LL          before a vowel: Y, the Spanish yeísmo (Llolanda = Yolanda);
//	            otherwise L (Bill, Hall)
//	B V         B (Vásquez = Básquez)
//	CH          C, its own sound (Chuc is not Xuc); but CHR is K R
//	            (Christian = Cristian)
//	C           before E, I or Y: S (Cerrato = Serrato); otherwise K
//	CK K Q      K; QU before E or I is K, the U being silent (Quiej = Kiej)
//	G           before E, I or Y: J (Giménez = Jiménez)
//	GU          before E or I: G, the U being silent (Miguel is MIGEL);
//	            before A or O: W (Guadalupe = Wadalupe)
//	HU          before a vowel: W (Huehuetenango = Wewetenango)
//	H           silent (Hernández = Ernández); so is the H of TH and WH
//	J X SH      J: the Spanish jota and the Mayan x (sh) are merged, so that
//	            Ximénez meets Jiménez and Xuc meets Shuc
//	PH          F
//	S Z         S, the seseo (González = Gonsales)
//	TZ TS       Z, the Mayan affricate (Tzul = Tsul)
//	W           W
//	others      D F L M N P R T as themselves; digits and letters of
//	            other scripts are copied unchanged
//
// A code equal to the one before it is written once, so RR, SS, double
// vowels (Caal = Cal) and Z followed by S (Vazquez) collapse.
//
// What it leaves apart, on purpose: Chuc and Xuc (two K'iche' and Q'eqchi'
// surnames, ch and x are different sounds); Mario and María (vowels are
// kept, because Spanish given names differ by sex in the last vowel);
// Williams and Guillermo (W is not GU before I); Fernández and Hernández.
// Known misses, left to the string comparators: an H written for the Mayan
// j (Ahanel for Ajanel), dropped or added letters (Bautista, Batista), and
// English spellings that differ in a letter (Stephen, Steven).
func Phonetic(s string) string {
	var buf [shortLen]byte
	k := AppendPhonetic(buf[:0], s)
	return string(k)
}

// AppendPhonetic appends Phonetic(s) to dst and returns the extended
// buffer. On folded ASCII input of up to 64 bytes it allocates nothing
// beyond growing dst.
func AppendPhonetic(dst []byte, s string) []byte {
	if !isFolded(s) {
		var buf [shortLen]byte
		s = string(AppendFold(buf[:0], s))
	}
	start := len(dst)
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		dst = appendWordKey(dst, s[i:j])
		i = j
	}
	return dst
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

func isFront(c byte) bool { return c == 'e' || c == 'i' || c == 'y' }

// appendWordKey writes the key of one folded word.
func appendWordKey[S string | []byte](dst []byte, w S) []byte {
	at := func(i int) byte {
		if i < len(w) {
			return w[i]
		}
		return 0
	}
	wordStart := len(dst)
	var last byte
	for i := 0; i < len(w); {
		c, n1, n2 := w[i], at(i+1), at(i+2)
		var code byte
		step := 1
		switch c {
		case 'a', 'e', 'i', 'o', 'u':
			code = c - 'a' + 'A'
		case 'y':
			code = 'I'
			if isVowel(n1) {
				code = 'Y'
			}
		case 'l':
			code = 'L'
			if n1 == 'l' {
				step = 2
				if isVowel(n2) || n2 == 'y' {
					code = 'Y'
				}
			}
		case 'b', 'v':
			code = 'B'
		case 'c':
			switch {
			case n1 == 'h' && n2 == 'r':
				code, step = 'K', 2
			case n1 == 'h':
				code, step = 'C', 2
			case isFront(n1):
				code = 'S'
			default:
				code = 'K'
			}
		case 'k':
			code = 'K'
		case 'q':
			code = 'K'
			if n1 == 'u' && (n2 == 'e' || n2 == 'i') {
				step = 2
			}
		case 'g':
			switch {
			case isFront(n1):
				code = 'J'
			case n1 == 'u' && (n2 == 'e' || n2 == 'i'):
				code, step = 'G', 2
			case n1 == 'u' && (n2 == 'a' || n2 == 'o'):
				code, step = 'W', 2
			default:
				code = 'G'
			}
		case 'h':
			if n1 == 'u' && isVowel(n2) {
				code, step = 'W', 2
			}
		case 'j', 'x':
			code = 'J'
		case 's':
			code = 'S'
			if n1 == 'h' {
				code, step = 'J', 2
			}
		case 'z':
			code = 'S'
		case 't':
			code = 'T'
			switch n1 {
			case 'z', 's':
				code, step = 'Z', 2
			case 'h':
				step = 2
			}
		case 'p':
			code = 'P'
			if n1 == 'h' {
				code, step = 'F', 2
			}
		case 'w':
			code = 'W'
			if n1 == 'h' {
				step = 2
			}
		case 'd', 'f', 'm', 'n', 'r':
			code = c - 'a' + 'A'
		default:
			if c >= 0x80 || '0' <= c && c <= '9' {
				// Other scripts and digits are kept as they are, so
				// that two Greek names never share an empty key.
				dst = append(dst, c)
				last = 0
			}
		}
		i += step
		if code != 0 && code != last {
			dst = append(dst, code)
			last = code
		}
	}
	if len(dst) == wordStart && len(w) > 0 {
		// A word of silent letters only ("h") still needs a key, or two
		// such words would seem to share the empty key.
		dst = append(dst, '_')
	}
	return dst
}
